// Conversion of legacy charsets to UTF-8 through glibc's iconv.
// An iconv descriptor keeps shift state and is not thread-safe, so descriptors are checked out of
// a small pool for the length of one conversion and returned afterwards; opening one costs far
// more than a conversion of a typical mail part.

import Glibc
import Synchronization

/// A descriptor owned by exactly one conversion at a time.
private struct Descriptor: @unchecked Sendable {
    let handle: iconv_t
}

enum IconvPool {
    private static let idle = Mutex<[String: [Descriptor]]>([:])
    private static let keptPerCharset = 8

    /// Converts `input` from `charset` (an iconv name) to UTF-8. Undecodable bytes become U+FFFD
    /// and are counted. Returns nil when iconv does not know the charset.
    static func convert(_ input: Bytes, from charset: String) -> (text: String, errors: Int)? {
        guard let descriptor = checkOut(charset) else { return nil }
        defer { checkIn(descriptor, charset) }
        return run(descriptor.handle, input)
    }

    /// Whether iconv can convert from `charset`.
    static func supports(_ charset: String) -> Bool {
        guard let descriptor = checkOut(charset) else { return false }
        checkIn(descriptor, charset)
        return true
    }

    private static func checkOut(_ charset: String) -> Descriptor? {
        if let descriptor = idle.withLock({ $0[charset]?.popLast() }) {
            return descriptor
        }
        let handle = iconv_open("UTF-8", charset)
        guard let handle, handle != iconv_t(bitPattern: -1) else { return nil }
        return Descriptor(handle: handle)
    }

    private static func checkIn(_ descriptor: Descriptor, _ charset: String) {
        let kept = idle.withLock { idle -> Bool in
            guard idle[charset, default: []].count < keptPerCharset else { return false }
            idle[charset, default: []].append(descriptor)
            return true
        }
        if !kept { iconv_close(descriptor.handle) }
    }

    /// One conversion: resets the shift state, converts, and replaces each bad byte.
    private static func run(_ handle: iconv_t, _ input: Bytes) -> (text: String, errors: Int) {
        _ = iconv(handle, nil, nil, nil, nil)
        guard let source = input.baseAddress, !input.isEmpty else { return ("", 0) }
        var output = [UInt8](repeating: 0, count: input.count * 2 + 16)
        var written = 0
        var errors = 0
        var inPointer = UnsafeMutablePointer(mutating: source).withMemoryRebound(
            to: CChar.self, capacity: input.count
        ) { Optional($0) }
        var inLeft = input.count
        while inLeft > 0 {
            let (result, code, produced) = output.withUnsafeMutableBufferPointer { buffer in
                step(handle, &inPointer, &inLeft, buffer, written)
            }
            written = produced
            if result != -1 { break }
            switch code {
            case E2BIG:
                output.append(contentsOf: repeatElement(0, count: max(output.count, 64)))
            case EILSEQ, EINVAL:
                errors += 1
                if output.count - written < 3 { output.append(contentsOf: [0, 0, 0]) }
                output[written] = 0xEF
                output[written + 1] = 0xBF
                output[written + 2] = 0xBD
                written += 3
                let skip = code == EINVAL ? inLeft : 1
                inPointer = inPointer.map { $0 + skip }
                inLeft -= skip
            default:
                inLeft = 0
            }
        }
        return (String(decoding: output[0..<written], as: UTF8.self), errors)
    }

    /// Calls iconv once, returning its result, errno and the new output length.
    private static func step(
        _ handle: iconv_t,
        _ inPointer: inout UnsafeMutablePointer<CChar>?,
        _ inLeft: inout Int,
        _ buffer: UnsafeMutableBufferPointer<UInt8>,
        _ written: Int
    ) -> (Int, Int32, Int) {
        guard let base = buffer.baseAddress else { return (0, 0, written) }
        var outPointer: UnsafeMutablePointer<CChar>? = UnsafeMutableRawPointer(base + written)
            .assumingMemoryBound(to: CChar.self)
        var outLeft = buffer.count - written
        let result = iconv(handle, &inPointer, &inLeft, &outPointer, &outLeft)
        let code = result == -1 ? errno : 0
        return (result, code, buffer.count - outLeft)
    }
}
