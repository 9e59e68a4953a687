// Splitting a header block into fields, tolerant of what real mail does: folded lines, bare LF,
// 8-bit bytes, an mbox `From ` line, parts with no headers at all, and a missing blank line
// before the body. The block is bounded by the header-bytes limit.

/// A header field as it appears, with the name lower-cased and the value unfolded.
struct RawHeaderField: Sendable {
    var name: String
    var value: [UInt8]
}

/// The header block of one entity and where its body starts.
struct HeaderBlock: Sendable {
    var fields: [RawHeaderField] = []
    var bodyStart: Int
    /// Header lines past the header-bytes limit, not parsed into fields.
    var overflow: Range<Int>?
    /// Whether the body began without the blank line that should separate it.
    var missingSeparator = false

    /// The first field named `name` (lower-case).
    func first(_ name: String) -> [UInt8]? {
        self.fields.first { $0.name == name }?.value
    }

    /// Parses the header block at the start of `range`.
    init(parsing input: Bytes, _ range: Range<Int>, maxBytes: Int) {
        self.bodyStart = range.upperBound
        var lineStart = range.lowerBound
        let end = range.upperBound
        while lineStart < end {
            let (contentEnd, next) = input.lineBounds(from: lineStart, to: end)
            if contentEnd == lineStart {
                self.bodyStart = next
                return
            }
            if next - range.lowerBound > maxBytes {
                self.skipOverflow(input, from: lineStart, to: end)
                return
            }
            let first = input[lineStart]
            if ASCII.isBlank(first) {
                if !self.fields.isEmpty {
                    self.fields[self.fields.count - 1].value += input.copyBytes(
                        lineStart..<contentEnd)
                }
                lineStart = next
                continue
            }
            if let colon = HeaderBlock.headerNameEnd(input, lineStart, contentEnd) {
                var valueStart = colon + 1
                while valueStart < contentEnd, ASCII.isBlank(input[valueStart]) { valueStart += 1 }
                let name = input.lowercasedASCII(lineStart..<colon)
                self.fields.append(
                    RawHeaderField(name: name, value: input.copyBytes(valueStart..<contentEnd)))
                lineStart = next
                continue
            }
            if lineStart == range.lowerBound,
                input.matchesCaseInsensitive("from ", at: lineStart, end: contentEnd)
            {
                lineStart = next
                continue
            }
            self.missingSeparator = !self.fields.isEmpty
            self.bodyStart = lineStart
            return
        }
    }

    /// The index of the colon ending a valid field name on this line, or nil.
    private static func headerNameEnd(_ input: Bytes, _ start: Int, _ end: Int) -> Int? {
        var index = start
        while index < end {
            let byte = input[index]
            if byte == ASCII.colon { return index > start ? index : nil }
            if byte <= ASCII.space || byte >= 0x7F { return nil }
            index += 1
        }
        return nil
    }

    /// Skips the rest of an oversized block, remembering it so it can still be scanned raw.
    private mutating func skipOverflow(_ input: Bytes, from start: Int, to end: Int) {
        var lineStart = start
        while lineStart < end {
            let (contentEnd, next) = input.lineBounds(from: lineStart, to: end)
            if contentEnd == lineStart {
                self.overflow = start..<lineStart
                self.bodyStart = next
                return
            }
            lineStart = next
        }
        self.overflow = start..<end
        self.bodyStart = end
    }
}
