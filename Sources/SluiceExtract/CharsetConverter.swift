// Legacy charsets to UTF-8 through glibc's iconv: GBK member names in Chinese Windows zips, RTF
// code pages, text files without a BOM. Descriptors keep shift state and are not thread-safe, so
// each conversion checks one out of a small pool and returns it.

import Glibc
import Synchronization

private struct IconvDescriptor: @unchecked Sendable {
    let handle: iconv_t
}

enum CharsetConverter {
    private static let idle = Mutex<[String: [IconvDescriptor]]>([:])
    private static let keptPerCharset = 8

    /// Converts `bytes` from `charset`. With `strict`, any undecodable byte makes the result nil;
    /// otherwise such bytes become U+FFFD. Nil also when iconv does not know the charset.
    static func decode(
        _ bytes: some Collection<UInt8>, from charset: String, strict: Bool
    )
        -> String?
    {
        guard let descriptor = self.checkOut(charset) else { return nil }
        defer { self.checkIn(descriptor, charset) }
        let input = Array(bytes)
        return input.withUnsafeBufferPointer { self.run(descriptor.handle, $0, strict: strict) }
    }

    private static func run(
        _ handle: iconv_t, _ input: UnsafeBufferPointer<UInt8>, strict: Bool
    )
        -> String?
    {
        _ = iconv(handle, nil, nil, nil, nil)
        guard let source = input.baseAddress, !input.isEmpty else { return "" }
        var output = [UInt8](repeating: 0, count: input.count * 4 + 16)
        var written = 0
        var inPointer: UnsafeMutablePointer<CChar>? = UnsafeMutableRawPointer(
            mutating: source
        ).assumingMemoryBound(to: CChar.self)
        var inLeft = input.count
        while inLeft > 0 {
            let (result, code) = output.withUnsafeMutableBytes { buffer -> (Int, Int32) in
                var outPointer: UnsafeMutablePointer<CChar>? = buffer.baseAddress.map {
                    ($0 + written).assumingMemoryBound(to: CChar.self)
                }
                var outLeft = buffer.count - written
                let result = iconv(handle, &inPointer, &inLeft, &outPointer, &outLeft)
                let code = errno
                written = buffer.count - outLeft
                return (result, code)
            }
            if result != -1 { break }
            if code == E2BIG {
                output.append(contentsOf: repeatElement(0, count: output.count))
                continue
            }
            if strict { return nil }
            output.replaceSubrange(written..<written, with: [0xEF, 0xBF, 0xBD])
            written += 3
            let skip = code == EINVAL ? inLeft : 1
            inPointer = inPointer.map { $0 + skip }
            inLeft -= skip
        }
        return String(decoding: output[0..<written], as: UTF8.self)
    }

    private static func checkOut(_ charset: String) -> IconvDescriptor? {
        if let descriptor = self.idle.withLock({ $0[charset]?.popLast() }) {
            return descriptor
        }
        let handle = iconv_open("UTF-8", charset)
        guard let handle, handle != iconv_t(bitPattern: -1) else { return nil }
        return IconvDescriptor(handle: handle)
    }

    private static func checkIn(_ descriptor: IconvDescriptor, _ charset: String) {
        let kept = self.idle.withLock { idle -> Bool in
            guard idle[charset, default: []].count < self.keptPerCharset else { return false }
            idle[charset, default: []].append(descriptor)
            return true
        }
        if !kept { iconv_close(descriptor.handle) }
    }
}
