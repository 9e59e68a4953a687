// SHA-256 through OpenSSL's libcrypto, as lowercase hex: the link of the audit chain.

import CCrypto

/// SHA-256 digests as hex, for the audit chain and for version stamps.
public enum SHA256 {
    public static func hex<Bytes: Collection>(_ bytes: Bytes) -> String
    where Bytes.Element == UInt8 {
        var digest = [UInt8](repeating: 0, count: Int(SHA256_DIGEST_LENGTH))
        let input = Array(bytes)
        input.withUnsafeBufferPointer { buffer in
            _ = CCrypto.SHA256(buffer.baseAddress, buffer.count, &digest)
        }
        let digits = Array("0123456789abcdef".utf8)
        var text: [UInt8] = []
        text.reserveCapacity(64)
        for byte in digest {
            text.append(digits[Int(byte >> 4)])
            text.append(digits[Int(byte & 15)])
        }
        return String(decoding: text, as: UTF8.self)
    }
}
