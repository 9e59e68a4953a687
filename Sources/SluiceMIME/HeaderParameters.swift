// The value and parameters of structured headers such as Content-Type and
// Content-Disposition, including RFC 2231 continuations and charsets and the non-standard
// forms senders use: RFC 2047 words inside quoted values, and raw 8-bit values.

/// A structured header value split into its main value and decoded parameters.
struct HeaderParameters: Sendable {
    /// The value before the first `;`, lower-cased and trimmed (`text/plain`, `attachment`).
    var value: String
    /// Parameters by lower-cased name, decoded to UTF-8; the first occurrence wins.
    var parameters: [String: String]
    /// Whether a parameter was malformed (bad continuation, unterminated quote).
    var damaged: Bool

    init(value: String, parameters: [String: String], damaged: Bool) {
        self.value = value
        self.parameters = parameters
        self.damaged = damaged
    }

    /// Parses an unfolded header value.
    init(parsing bytes: [UInt8]) {
        var index = 0
        while index < bytes.count, ASCII.isWhitespace(bytes[index]) { index += 1 }
        let valueStart = index
        while index < bytes.count, bytes[index] != ASCII.semicolon,
            !ASCII.isWhitespace(bytes[index]), bytes[index] != 0x28
        {
            index += 1
        }
        let value = String(decoding: bytes[valueStart..<index].map(ASCII.lower), as: UTF8.self)
        while index < bytes.count, bytes[index] != ASCII.semicolon { index += 1 }
        var damaged = false
        let raw = HeaderParameters.rawParameters(bytes, from: index, damaged: &damaged)
        let parameters = HeaderParameters.assemble(raw, damaged: &damaged)
        self.init(value: value, parameters: parameters, damaged: damaged)
    }

    private struct RawParameter {
        var name: String
        var value: [UInt8]
    }

    /// `name=value` pairs after the main value, with quoting removed.
    private static func rawParameters(
        _ bytes: [UInt8], from start: Int, damaged: inout Bool
    ) -> [RawParameter] {
        var result: [RawParameter] = []
        var index = start
        while index < bytes.count {
            while index < bytes.count,
                bytes[index] == ASCII.semicolon || ASCII.isWhitespace(bytes[index])
            {
                index += 1
            }
            let nameStart = index
            while index < bytes.count, bytes[index] != ASCII.equals, bytes[index] != ASCII.semicolon
            {
                index += 1
            }
            guard index < bytes.count, bytes[index] == ASCII.equals else { continue }
            let name = String(
                decoding: bytes[nameStart..<index].filter { !ASCII.isWhitespace($0) }.map(
                    ASCII.lower),
                as: UTF8.self)
            index += 1
            while index < bytes.count, ASCII.isBlank(bytes[index]) { index += 1 }
            var value: [UInt8] = []
            if index < bytes.count, bytes[index] == ASCII.quote {
                index += 1
                var closed = false
                while index < bytes.count {
                    let byte = bytes[index]
                    if byte == ASCII.backslash, index + 1 < bytes.count {
                        value.append(bytes[index + 1])
                        index += 2
                        continue
                    }
                    index += 1
                    if byte == ASCII.quote {
                        closed = true
                        break
                    }
                    value.append(byte)
                }
                if !closed { damaged = true }
            } else {
                let valueStart = index
                while index < bytes.count, bytes[index] != ASCII.semicolon { index += 1 }
                var valueEnd = index
                while valueEnd > valueStart, ASCII.isWhitespace(bytes[valueEnd - 1]) {
                    valueEnd -= 1
                }
                value = Array(bytes[valueStart..<valueEnd])
            }
            if !name.isEmpty { result.append(RawParameter(name: name, value: value)) }
        }
        return result
    }

    /// Joins RFC 2231 sections, decodes charsets and encoded words.
    private static func assemble(_ raw: [RawParameter], damaged: inout Bool) -> [String: String] {
        var plain: [String: String] = [:]
        var sections: [String: [(number: Int, extended: Bool, value: [UInt8])]] = [:]
        for parameter in raw {
            guard parameter.name.utf8.contains(0x2A), let star = parameter.name.firstIndex(of: "*")
            else {
                if plain[parameter.name] == nil {
                    plain[parameter.name] = decodePlain(parameter.value, damaged: &damaged)
                }
                continue
            }
            let base = String(parameter.name[..<star])
            let rest = parameter.name[parameter.name.index(after: star)...]
            let extended = rest.hasSuffix("*") || rest.isEmpty
            let digits = rest.hasSuffix("*") ? rest.dropLast() : rest
            guard let number = digits.isEmpty ? 0 : Int(digits) else {
                damaged = true
                continue
            }
            sections[base, default: []].append((number, extended, parameter.value))
        }
        for (base, parts) in sections {
            plain[base] = joinSections(parts.sorted { $0.number < $1.number }, damaged: &damaged)
        }
        return plain
    }

    private static func decodePlain(_ value: [UInt8], damaged: inout Bool) -> String {
        let decoded = EncodedWords.decode(value)
        if decoded.damaged { damaged = true }
        return decoded.text
    }

    /// One parameter from its sorted RFC 2231 sections.
    private static func joinSections(
        _ parts: [(number: Int, extended: Bool, value: [UInt8])], damaged: inout Bool
    ) -> String {
        var charset: String?
        var bytes: [UInt8] = []
        for (position, part) in parts.enumerated() {
            if part.number != position { damaged = true }
            guard part.extended else {
                bytes += part.value
                continue
            }
            var value = part.value[...]
            if position == 0, let first = value.firstIndex(of: 0x27),
                let second = value[(first + 1)...].firstIndex(of: 0x27)
            {
                charset = String(decoding: value[..<first], as: UTF8.self)
                value = value[(second + 1)...]
            }
            bytes += percentDecode(value)
        }
        if let charset, !charset.isEmpty {
            let decoded = CharsetDecoder.decode(bytes, declared: charset)
            if decoded.undecodable > 0 { damaged = true }
            return decoded.text
        }
        return decodePlain(bytes, damaged: &damaged)
    }

    private static func percentDecode(_ value: ArraySlice<UInt8>) -> [UInt8] {
        var output: [UInt8] = []
        output.reserveCapacity(value.count)
        var index = value.startIndex
        while index < value.endIndex {
            if value[index] == 0x25, index + 2 < value.endIndex,
                let high = ASCII.hexValue(value[index + 1]),
                let low = ASCII.hexValue(value[index + 2])
            {
                output.append(high << 4 | low)
                index += 3
                continue
            }
            output.append(value[index])
            index += 1
        }
        return output
    }
}
