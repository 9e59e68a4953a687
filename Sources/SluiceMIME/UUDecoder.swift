// Decoding of uuencoded files, both whole `x-uuencode` bodies and `begin 644 name` blocks found
// inside plain-text bodies (also the `begin-base64` variant of `uuencode -m`), so that files
// smuggled that way reach attachment extraction.

/// One uuencoded file found in a body.
struct UUEncodedFile: Sendable {
    var filename: String
    var bytes: [UInt8]
    var damaged: Bool
}

enum UUDecoder {
    /// Every `begin … end` block in `range` of `input`, in order.
    static func files(in input: Bytes, _ range: Range<Int>, limit: Int = .max) -> [UUEncodedFile] {
        var files: [UUEncodedFile] = []
        var budget = limit
        var lineStart = range.lowerBound
        let end = range.upperBound
        while lineStart < end {
            let (contentEnd, next) = input.lineBounds(from: lineStart, to: end)
            if let name = beginLineName(input, lineStart, contentEnd, marker: "begin-base64 ") {
                let (file, after) = decodeBase64Block(input, from: next, to: end, budget: budget)
                budget -= file.bytes.count
                files.append(
                    UUEncodedFile(filename: name, bytes: file.bytes, damaged: file.damaged))
                lineStart = after
                continue
            }
            if let name = beginLineName(input, lineStart, contentEnd, marker: "begin ") {
                let (file, after) = decodeBlock(input, from: next, to: end, budget: budget)
                budget -= file.bytes.count
                files.append(
                    UUEncodedFile(filename: name, bytes: file.bytes, damaged: file.damaged))
                lineStart = after
                continue
            }
            lineStart = next
        }
        return files
    }

    /// Whether `range` may hold a uuencoded block; a cheap test before the line scan.
    static func mayContainBlock(_ input: Bytes, _ range: Range<Int>) -> Bool {
        if input.matchesCaseInsensitive("begin", at: range.lowerBound, end: range.upperBound) {
            return true
        }
        return input.firstIndex(
            of: Array("\nbegin".utf8), from: range.lowerBound, to: range.upperBound)
            != nil
    }

    /// The file name of a `<marker><octal mode> <name>` line, or nil if the line is not one.
    private static func beginLineName(
        _ input: Bytes, _ start: Int, _ end: Int, marker: StaticString
    ) -> String? {
        guard input.matchesCaseInsensitive(marker, at: start, end: end) else { return nil }
        var index = start + marker.utf8CodeUnitCount
        let modeStart = index
        while index < end, input[index] >= 0x30, input[index] <= 0x37 { index += 1 }
        guard index > modeStart, index - modeStart <= 4, index < end, input[index] == ASCII.space
        else { return nil }
        let name = input.trimmed(index + 1, end)
        guard !name.isEmpty else { return nil }
        return CharsetDecoder.decodeHeaderBytes(input.copyBytes(name))
    }

    /// Decodes base64 lines from `start` until `end` or the `====` line that closes them.
    private static func decodeBase64Block(
        _ input: Bytes, from start: Int, to end: Int, budget: Int
    ) -> (file: (bytes: [UInt8], damaged: Bool), next: Int) {
        var lineStart = start
        while lineStart < end {
            let (contentEnd, next) = input.lineBounds(from: lineStart, to: end)
            if contentEnd - lineStart == 4,
                input.matchesCaseInsensitive("====", at: lineStart, end: contentEnd)
            {
                let decoded = Base64Decoder.decode(input, start..<lineStart, limit: budget)
                return ((decoded.bytes, decoded.damage != nil), next)
            }
            lineStart = next
        }
        let decoded = Base64Decoder.decode(input, start..<end, limit: budget)
        return ((decoded.bytes, true), end)
    }

    /// Decodes data lines from `start` until `end` or an `end` line.
    private static func decodeBlock(
        _ input: Bytes, from start: Int, to end: Int, budget: Int
    ) -> (file: (bytes: [UInt8], damaged: Bool), next: Int) {
        var bytes: [UInt8] = []
        var damaged = false
        var lineStart = start
        while lineStart < end {
            let (contentEnd, next) = input.lineBounds(from: lineStart, to: end)
            defer { lineStart = next }
            if contentEnd - lineStart == 3,
                input.matchesCaseInsensitive("end", at: lineStart, end: contentEnd)
            {
                return ((bytes, damaged), next)
            }
            guard contentEnd > lineStart else { continue }
            let count = Int((input[lineStart] &- 0x20) & 0x3F)
            if count == 0 { continue }
            var index = lineStart + 1
            var produced = 0
            while produced < count, bytes.count < budget {
                var group: UInt32 = 0
                for _ in 0..<4 {
                    let byte = index < contentEnd ? input[index] : 0x20
                    if index >= contentEnd { damaged = true }
                    group = group << 6 | UInt32((byte &- 0x20) & 0x3F)
                    index += 1
                }
                for shift in stride(from: 16, through: 0, by: -8) where produced < count {
                    bytes.append(UInt8(truncatingIfNeeded: group >> UInt32(shift)))
                    produced += 1
                }
            }
        }
        return ((bytes, true), end)
    }
}
