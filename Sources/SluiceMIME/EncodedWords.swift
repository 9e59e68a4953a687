// RFC 2047 encoded words (`=?charset?B?…?=` and `=?charset?Q?…?=`) in header values.
// Adjacent words are joined before charset decoding, so a multi-byte character split across
// two words survives; a malformed word is left exactly as written.

enum EncodedWords {
    private enum Segment {
        case raw([UInt8])
        case word(charset: String, bytes: [UInt8])
    }

    /// The header value `bytes` with encoded words decoded and raw 8-bit text read as UTF-8 or
    /// GB18030. `damaged` is set when a word could not be decoded cleanly.
    static func decode(_ bytes: [UInt8]) -> (text: String, damaged: Bool) {
        guard bytes.count >= 8, contains(bytes, ASCII.equals, ASCII.question) else {
            return (CharsetDecoder.decodeHeaderBytes(bytes), false)
        }
        var damaged = false
        let segments = split(bytes, damaged: &damaged)
        var text = ""
        var index = 0
        while index < segments.count {
            switch segments[index] {
            case .raw(let raw):
                text += CharsetDecoder.decodeHeaderBytes(raw)
                index += 1
            case .word(let charset, var joined):
                index += 1
                while index < segments.count, case .word(let next, let more) = segments[index],
                    next.lowercased() == charset.lowercased()
                {
                    joined += more
                    index += 1
                }
                let decoded = CharsetDecoder.decode(joined, declared: charset)
                if decoded.undecodable > 0 { damaged = true }
                text += decoded.text
            }
        }
        return (text, damaged)
    }

    /// Splits a value into raw runs and encoded words, dropping blanks between two words.
    private static func split(_ bytes: [UInt8], damaged: inout Bool) -> [Segment] {
        var segments: [Segment] = []
        var scanner = WordScanner(bytes: bytes)
        var rawStart = 0
        var index = 0
        var lastWasWord = false
        while index + 1 < bytes.count {
            guard bytes[index] == ASCII.equals, bytes[index + 1] == ASCII.question,
                let (segment, end) = scanner.word(at: index)
            else {
                index += 1
                continue
            }
            let between = bytes[rawStart..<index]
            let onlyBlanks = between.allSatisfy { ASCII.isWhitespace($0) }
            if !(lastWasWord && onlyBlanks), !between.isEmpty {
                segments.append(.raw(Array(between)))
            }
            if case .word(_, let decoded) = segment, decoded.isEmpty, end - index > 7 {
                damaged = true
            }
            segments.append(segment)
            lastWasWord = true
            index = end
            rawStart = end
        }
        if rawStart < bytes.count { segments.append(.raw(Array(bytes[rawStart...]))) }
        return segments
    }

    /// Parses encoded words, remembering where the next `?=` is so that a value full of
    /// unterminated `=?` starts is still read in linear time.
    private struct WordScanner {
        let bytes: [UInt8]
        var terminator = -1

        /// The `?=` at or after `start`, or nil.
        mutating func terminator(from start: Int) -> Int? {
            if self.terminator >= start { return self.terminator }
            var index = start
            while index + 1 < self.bytes.count {
                if self.bytes[index] == ASCII.question, self.bytes[index + 1] == ASCII.equals {
                    self.terminator = index
                    return index
                }
                index += 1
            }
            self.terminator = Int.max
            return nil
        }

        /// Parses one encoded word starting at `start`; nil if the bytes there are not one.
        mutating func word(at start: Int) -> (Segment, Int)? {
            var index = start + 2
            let charsetStart = index
            while index < self.bytes.count, self.bytes[index] != ASCII.question {
                if ASCII.isWhitespace(self.bytes[index]) || index - charsetStart > 40 { return nil }
                index += 1
            }
            guard index + 3 < self.bytes.count, index > charsetStart,
                self.bytes[index + 2] == ASCII.question
            else { return nil }
            let charset = String(decoding: self.bytes[charsetStart..<index], as: UTF8.self)
            let encoding = ASCII.lower(self.bytes[index + 1])
            guard encoding == 0x62 || encoding == 0x71 else { return nil }
            let textStart = index + 3
            guard let end = self.terminator(from: textStart), end < self.bytes.count else {
                return nil
            }
            let text = self.bytes[textStart..<end]
            let decoded =
                encoding == 0x62
                ? Base64Decoder.decode(Array(text)).bytes
                : QuotedPrintableDecoder.decodeEncodedWord(text)
            return (.word(charset: charset, bytes: decoded), end + 2)
        }
    }

    private static func contains(_ bytes: [UInt8], _ first: UInt8, _ second: UInt8) -> Bool {
        var index = 0
        while index + 1 < bytes.count {
            if bytes[index] == first, bytes[index + 1] == second { return true }
            index += 1
        }
        return false
    }
}
