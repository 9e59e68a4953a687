// Turns the bytes of a text part or header into UTF-8, whatever label they carry.
// Labels lie, so the GB family is read as GB18030 and a label that fails falls back to UTF-8
// and then GB18030; the choice is reported. Text is never dropped: bad bytes become U+FFFD.

import Glibc

/// Text decoded from a charset, with how it was decoded.
struct DecodedText: Sendable {
    var text: String
    /// The canonical name of the charset used, such as `gb18030` or `utf-8`.
    var charset: String
    /// Whether the charset used differs from the declared one (or none was declared).
    var fellBack: Bool
    /// How many byte sequences could not be decoded and became U+FFFD.
    var undecodable: Int
}

enum CharsetDecoder {
    /// Decodes `range` of `input`, trusting `declared` (a MIME charset label) only as far as the
    /// bytes allow.
    static func decode(_ input: Bytes, _ range: Range<Int>, declared label: String?) -> DecodedText
    {
        let bytes = Bytes(rebasing: input[range])
        let declared = label.flatMap(Charset.init(label:))
        if declared?.isWideUnicode != true, let sniffed = sniffByteOrderMark(bytes),
            sniffed != declared
        {
            let (text, errors) = sniffed.decode(bytes)
            return DecodedText(
                text: text, charset: sniffed.name, fellBack: declared != nil, undecodable: errors)
        }
        var assumed = declared ?? .ascii
        if assumed.isWideUnicode, sniffByteOrderMark(bytes) == nil, !looksWide(bytes) {
            // The label is wrong (see looksWide), so read the bytes as 8-bit text.
            assumed = .ascii
        }
        if assumed.isASCIICompatible, bytes.isASCII(0..<bytes.count) {
            return DecodedText(
                text: String(decoding: bytes, as: UTF8.self), charset: assumed.name,
                fellBack: declared != nil && assumed != declared, undecodable: 0)
        }
        var best: DecodedText?
        var candidates: [Charset] = [assumed]
        for other in [Charset.utf8, .gb18030] where !candidates.contains(other) {
            candidates.append(other)
        }
        for candidate in candidates {
            let (text, errors) = candidate.decode(bytes)
            let fellBack = candidate != declared || candidate != assumed
            let result = DecodedText(
                text: text, charset: candidate.name, fellBack: fellBack, undecodable: errors)
            if errors == 0 { return result }
            if best == nil || errors < (best?.undecodable ?? 0) { best = result }
        }
        return best ?? DecodedText(text: "", charset: assumed.name, fellBack: false, undecodable: 0)
    }

    /// Decodes a whole array (encoded words, parameters, tests).
    static func decode(_ bytes: [UInt8], declared: String?) -> DecodedText {
        bytes.withUnsafeBufferPointer { decode($0, 0..<$0.count, declared: declared) }
    }

    /// Decodes raw header bytes that carry no label: ASCII, else UTF-8, else GB18030.
    static func decodeHeaderBytes(_ bytes: [UInt8]) -> String {
        if let text = String(validating: bytes, as: UTF8.self) { return text }
        return bytes.withUnsafeBufferPointer { Charset.gb18030.decode($0).text }
    }

    /// Whether `bytes` labelled UTF-16 or UTF-32 (without a byte order mark) may really be in
    /// that form. Not when the length is odd, nor when the bytes hold no zero in the first 4 KB
    /// yet are valid UTF-8 with a multi-byte sequence or at least 16 bytes long: wide text has
    /// zeros as soon as it holds a space, a line break or a Latin letter, and pure CJK in UTF-16
    /// is very rarely valid UTF-8.
    private static func looksWide(_ bytes: Bytes) -> Bool {
        guard bytes.count % 2 == 0, let base = bytes.baseAddress else { return false }
        if memchr(base, 0, min(bytes.count, 4096)) != nil { return true }
        guard String(validating: bytes, as: UTF8.self) != nil else { return true }
        return bytes.count < 16 && bytes.isASCII(0..<bytes.count)
    }

    /// A byte order mark at the start of `bytes`, naming the Unicode form it announces.
    private static func sniffByteOrderMark(_ bytes: Bytes) -> Charset? {
        guard bytes.count >= 2 else { return nil }
        if bytes.count >= 4, bytes[0] == 0xFF, bytes[1] == 0xFE, bytes[2] == 0, bytes[3] == 0 {
            return .utf32
        }
        if bytes.count >= 4, bytes[0] == 0, bytes[1] == 0, bytes[2] == 0xFE, bytes[3] == 0xFF {
            return .utf32
        }
        if (bytes[0] == 0xFF && bytes[1] == 0xFE) || (bytes[0] == 0xFE && bytes[1] == 0xFF) {
            return .utf16
        }
        if bytes.count >= 3, bytes[0] == 0xEF, bytes[1] == 0xBB, bytes[2] == 0xBF { return .utf8 }
        return nil
    }
}
