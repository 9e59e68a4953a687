// The charset an HTML document declares about itself in `<meta charset=…>` or
// `<meta http-equiv=content-type content="…; charset=…">`, used when the MIME header is silent.

enum HTMLCharsetSniffer {
    /// The charset label in the first 4 KB of `bytes`, if any.
    static func charset(in bytes: Bytes) -> String? {
        let end = min(bytes.count, 4096)
        var from = 0
        let needle = Array("charset".utf8)
        while from < end {
            guard let hit = firstCaseInsensitive(needle, in: bytes, from: from, to: end) else {
                return nil
            }
            var index = hit + needle.count
            while index < end, ASCII.isWhitespace(bytes[index]) { index += 1 }
            guard index < end, bytes[index] == ASCII.equals else {
                from = hit + 1
                continue
            }
            index += 1
            while index < end,
                ASCII.isWhitespace(bytes[index]) || bytes[index] == ASCII.quote
                    || bytes[index] == 0x27
            {
                index += 1
            }
            let start = index
            while index < end, HTMLText.isNameByte(bytes[index]) || bytes[index] == 0x2E {
                index += 1
            }
            guard index > start else { return nil }
            return String(decoding: bytes[start..<index].map(ASCII.lower), as: UTF8.self)
        }
        return nil
    }

    private static func firstCaseInsensitive(
        _ needle: [UInt8], in bytes: Bytes, from: Int, to end: Int
    ) -> Int? {
        var index = from
        while index + needle.count <= end {
            if ASCII.lower(bytes[index]) == needle[0] {
                var matched = true
                for offset in 1..<needle.count
                where ASCII.lower(bytes[index + offset]) != needle[offset] {
                    matched = false
                    break
                }
                if matched { return index }
            }
            index += 1
        }
        return nil
    }
}
