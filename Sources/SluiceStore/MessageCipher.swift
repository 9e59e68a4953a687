// Encryption at rest for quarantined messages: AES-256-GCM through OpenSSL's libcrypto, a
// fresh random nonce per file, and the message id bound in as associated data so one
// message's file cannot be passed off as another's. Also reads and checks the key file.

import CCrypto
import Foundation

#if canImport(Glibc)
import Glibc
#endif

/// Seals and opens message files with one 256-bit key.
struct MessageCipher: Sendable {
    /// The first bytes of every encrypted file: format name and version.
    static let magic = Array("SLQ1".utf8)
    static let nonceLength = 12
    static let tagLength = 16
    static let keyLength = 32

    private let key: [UInt8]

    init(key: Data) throws(StoreError) {
        guard key.count == Self.keyLength else {
            throw StoreError(
                "quarantine key", "expected \(Self.keyLength) bytes, got \(key.count)")
        }
        self.key = Array(key)
    }

    /// Reads a key file: 32 raw bytes, or 64 hexadecimal digits and an optional newline.
    /// Refuses a file that users outside its owner and group can read or write.
    static func loadKey(path: String) throws(StoreError) -> Data {
        var info = stat()
        guard stat(path, &info) == 0 else {
            throw StoreError("quarantine key", "cannot read \(path)", errno: errno)
        }
        guard info.st_mode & 0o007 == 0 else {
            let mode = String(info.st_mode & 0o777, radix: 8)
            throw StoreError(
                "quarantine key",
                "\(path) is accessible to other users (mode \(mode)); chmod 0640 it")
        }
        guard let contents = FileManager.default.contents(atPath: path) else {
            throw StoreError("quarantine key", "cannot read \(path)", errno: errno)
        }
        if contents.count == Self.keyLength {
            return contents
        }
        let text = String(decoding: contents, as: UTF8.self)
            .trimmingCharacters(in: .whitespacesAndNewlines)
        guard text.utf8.count == 2 * Self.keyLength, let key = Self.bytes(hex: text) else {
            throw StoreError(
                "quarantine key",
                "\(path): expected 32 bytes or 64 hexadecimal digits, got \(contents.count) bytes")
        }
        return Data(key)
    }

    /// `magic ‖ nonce ‖ ciphertext ‖ tag`, with `magic ‖ id` authenticated.
    func seal(_ plaintext: UnsafeRawBufferPointer, id: String) throws(StoreError) -> [UInt8] {
        var nonce = [UInt8](repeating: 0, count: Self.nonceLength)
        guard RAND_bytes(&nonce, Int32(nonce.count)) == 1 else {
            throw StoreError("quarantine encryption", "no random nonce from OpenSSL")
        }
        let body = try self.run(
            encrypt: true, nonce: nonce, input: plaintext, id: id, tag: nil)
        return Self.magic + nonce + body.output + body.tag
    }

    /// The plaintext of a sealed file; throws when it was altered or the key is wrong.
    func open(_ sealed: [UInt8], id: String) throws(StoreError) -> [UInt8] {
        let headerLength = Self.magic.count + Self.nonceLength
        guard sealed.count >= headerLength + Self.tagLength,
            sealed.starts(with: Self.magic)
        else {
            throw StoreError("quarantine decryption", "message \(id): not an encrypted file")
        }
        let nonce = Array(sealed[Self.magic.count..<headerLength])
        let tag = Array(sealed[(sealed.count - Self.tagLength)...])
        let body = Array(sealed[headerLength..<(sealed.count - Self.tagLength)])
        let result = body.withUnsafeBytes { input in
            Result { () throws(StoreError) in
                try self.run(encrypt: false, nonce: nonce, input: input, id: id, tag: tag).output
            }
        }
        return try result.get()
    }

    /// One GCM pass. Decryption checks `tag`; encryption returns the computed tag.
    private func run(
        encrypt: Bool, nonce: [UInt8], input: UnsafeRawBufferPointer, id: String,
        tag expectedTag: [UInt8]?
    ) throws(StoreError) -> (output: [UInt8], tag: [UInt8]) {
        let subject = encrypt ? "quarantine encryption" : "quarantine decryption"
        guard let context = EVP_CIPHER_CTX_new() else {
            throw StoreError(subject, "OpenSSL cannot allocate a cipher context")
        }
        defer { EVP_CIPHER_CTX_free(context) }
        let associated = Self.magic + Array(id.utf8)
        var output = [UInt8](repeating: 0, count: input.count + 16)
        var tag = expectedTag ?? [UInt8](repeating: 0, count: Self.tagLength)
        var length: Int32 = 0
        var total = 0
        let update = encrypt ? EVP_EncryptUpdate : EVP_DecryptUpdate
        var ok =
            (encrypt
                ? EVP_EncryptInit_ex(context, EVP_aes_256_gcm(), nil, self.key, nonce)
                : EVP_DecryptInit_ex(context, EVP_aes_256_gcm(), nil, self.key, nonce)) == 1
        ok = ok && update(context, nil, &length, associated, Int32(associated.count)) == 1
        if ok && input.count > 0 {
            let base = input.bindMemory(to: UInt8.self).baseAddress
            ok = update(context, &output, &length, base, Int32(input.count)) == 1
            total = Int(length)
        }
        if ok && !encrypt {
            ok = EVP_CIPHER_CTX_ctrl(context, EVP_CTRL_AEAD_SET_TAG, Int32(tag.count), &tag) == 1
        }
        if ok {
            ok =
                output.withUnsafeMutableBufferPointer { buffer in
                    let end = buffer.baseAddress.map { $0 + total }
                    return encrypt
                        ? EVP_EncryptFinal_ex(context, end, &length)
                        : EVP_DecryptFinal_ex(context, end, &length)
                } == 1
            total += Int(length)
        }
        if ok && encrypt {
            ok = EVP_CIPHER_CTX_ctrl(context, EVP_CTRL_AEAD_GET_TAG, Int32(tag.count), &tag) == 1
        }
        guard ok else {
            throw StoreError(
                subject,
                encrypt ? "OpenSSL failed" : "message \(id): altered file or wrong key")
        }
        return (Array(output.prefix(total)), tag)
    }

    private static func bytes(hex text: String) -> [UInt8]? {
        var bytes: [UInt8] = []
        var high: UInt8?
        for character in text.utf8 {
            guard let digit = UInt8(String(UnicodeScalar(character)), radix: 16) else {
                return nil
            }
            if let value = high {
                bytes.append(value << 4 | digit)
                high = nil
            } else {
                high = digit
            }
        }
        return bytes
    }
}
