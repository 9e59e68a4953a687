// Finding the delimiter lines of one multipart body (RFC 2046 section 5.1.1) with memmem, so a
// body of any size is split in one pass. A delimiter is `--boundary` at the start of a line,
// optionally `--` to close, then only blanks; the line break before it belongs to it.

/// One delimiter line found in a multipart body.
struct Delimiter: Sendable {
    /// Start of the delimiter line.
    var lineStart: Int
    /// Where the content before this delimiter ends (its preceding line break excluded).
    var contentEnd: Int
    /// Start of the line after the delimiter.
    var next: Int
    /// Whether this is the closing delimiter (`--boundary--`).
    var isClosing: Bool
}

/// Iterates over the delimiter lines of a multipart body.
struct BoundarySplitter {
    private let needle: [UInt8]
    private let input: Bytes
    private let body: Range<Int>
    private var position: Int
    private var checkedStart = false

    init(boundary: [UInt8], input: Bytes, body: Range<Int>) {
        var trimmed = boundary[...]
        while let last = trimmed.last, ASCII.isBlank(last) { trimmed = trimmed.dropLast() }
        self.needle = [ASCII.lf, ASCII.hyphen, ASCII.hyphen] + trimmed
        self.input = input
        self.body = body
        self.position = body.lowerBound
    }

    /// The next delimiter, or nil when there is none before the end of the body.
    mutating func next() -> Delimiter? {
        if !self.checkedStart {
            self.checkedStart = true
            if let delimiter = self.delimiter(at: self.body.lowerBound) {
                self.position = delimiter.next
                return delimiter
            }
        }
        var from = max(self.position - 1, self.body.lowerBound)
        while let hit = self.input.firstIndex(of: self.needle, from: from, to: self.body.upperBound)
        {
            if let delimiter = self.delimiter(at: hit + 1) {
                self.position = delimiter.next
                return delimiter
            }
            from = hit + 1
        }
        self.position = self.body.upperBound
        return nil
    }

    /// The delimiter whose line starts at `lineStart`, if that line is one.
    private func delimiter(at lineStart: Int) -> Delimiter? {
        let end = self.body.upperBound
        let markerLength = self.needle.count - 1
        guard lineStart + markerLength <= end else { return nil }
        for offset in 0..<markerLength
        where self.input[lineStart + offset] != self.needle[offset + 1] {
            return nil
        }
        var index = lineStart + markerLength
        var closing = false
        // Blanks may sit between the boundary and `--` when the boundary itself ended in blanks.
        while index < end, ASCII.isBlank(self.input[index]) { index += 1 }
        if index + 1 < end, self.input[index] == ASCII.hyphen, self.input[index + 1] == ASCII.hyphen
        {
            closing = true
            index += 2
        }
        while index < end, ASCII.isBlank(self.input[index]) { index += 1 }
        let next: Int
        if index == end {
            next = end
        } else if self.input[index] == ASCII.lf {
            next = index + 1
        } else if self.input[index] == ASCII.cr {
            next = index + 1 < end && self.input[index + 1] == ASCII.lf ? index + 2 : index + 1
        } else {
            return nil
        }
        var contentEnd = lineStart
        if contentEnd > self.body.lowerBound, self.input[contentEnd - 1] == ASCII.lf {
            contentEnd -= 1
            if contentEnd > self.body.lowerBound, self.input[contentEnd - 1] == ASCII.cr {
                contentEnd -= 1
            }
        }
        return Delimiter(
            lineStart: lineStart, contentEnd: contentEnd, next: next, isClosing: closing)
    }
}
