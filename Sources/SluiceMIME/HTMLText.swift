// HTML reduced to the text a reader sees: tags removed so that text split across inline tags
// joins up again, block elements become line breaks, entities are decoded, script, style and
// comments are dropped, and alt, title and link targets are kept because data leaks there too.

/// Extraction of readable text from an HTML document already decoded to UTF-8.
public enum HTMLText {
    private enum ElementKind {
        case block
        case cell
        case skipped
    }

    /// Element kinds by `nameKey`, so classifying a tag allocates nothing.
    private static let elementKinds: [UInt64: ElementKind] = {
        var kinds: [UInt64: ElementKind] = [:]
        let blocks = [
            "address", "article", "aside", "blockquote", "br", "caption", "center", "dd", "div",
            "dl", "dt", "fieldset", "figcaption", "figure", "footer", "form", "h1", "h2", "h3",
            "h4", "h5", "h6", "header", "hr", "html", "body", "li", "main", "nav", "ol", "p",
            "pre", "section", "table", "tbody", "thead", "tfoot", "title", "tr", "ul",
        ]
        for name in blocks { kinds[nameKey(Array(name.utf8)[...])] = .block }
        for name in ["td", "th"] { kinds[nameKey(Array(name.utf8)[...])] = .cell }
        for name in ["script", "style", "noscript", "template"] {
            kinds[nameKey(Array(name.utf8)[...])] = .skipped
        }
        return kinds
    }()

    private static let keptAttributes: Set<UInt64> = Set(
        ["alt", "title", "href", "src"].map { nameKey(Array($0.utf8)[...]) })

    /// A name's first seven bytes, lower-cased, with its length in the top byte. Distinct for
    /// every name this file looks up; a longer unknown name sharing a prefix and length with a
    /// known one would only be classified like it.
    static func nameKey(_ name: ArraySlice<UInt8>) -> UInt64 {
        var key = UInt64(min(name.count, 255)) << 56
        var shift: UInt64 = 0
        for byte in name.prefix(7) {
            key |= UInt64(ASCII.lower(byte)) << shift
            shift += 8
        }
        return key
    }

    /// The readable text of `html`.
    public static func text(fromHTML html: String) -> String {
        var extractor = Extractor(Array(html.utf8))
        extractor.run()
        while let last = extractor.output.last, ASCII.isWhitespace(last) {
            extractor.output.removeLast()
        }
        return String(decoding: extractor.output, as: UTF8.self)
    }

    private struct Extractor {
        let input: [UInt8]
        var output: [UInt8] = []
        var index = 0
        var pendingSpace = false
        var pendingBreak = false

        init(_ input: [UInt8]) {
            self.input = input
            self.output.reserveCapacity(input.count / 2)
        }

        mutating func run() {
            while self.index < self.input.count {
                let byte = self.input[self.index]
                switch byte {
                case 0x3C:
                    self.tag()
                case 0x26:
                    self.emit(self.entity())
                case ASCII.space, ASCII.tab, ASCII.lf, ASCII.cr, 0x0C:
                    self.pendingSpace = true
                    if byte == ASCII.lf || byte == ASCII.cr { self.pendingBreak = true }
                    self.index += 1
                default:
                    // A line break in the source between two CJK characters is not a space
                    // when rendered (CSS segment break rules), so the characters join.
                    if self.pendingBreak, HTMLText.isCJKLead(byte), self.endsWithCJK() {
                        self.pendingSpace = false
                    }
                    self.flushSpace()
                    self.copyTextRun()
                }
            }
        }

        /// Copies plain text up to the next markup, reference or whitespace in one go.
        mutating func copyTextRun() {
            let start = self.index
            var end = start + 1
            while end < self.input.count, !HTMLText.isSpecial(self.input[end]) { end += 1 }
            self.output.append(contentsOf: self.input[start..<end])
            self.index = end
        }

        mutating func emit(_ text: String) {
            self.flushSpace()
            self.output.append(contentsOf: text.utf8)
        }

        mutating func flushSpace() {
            if self.pendingSpace, let last = self.output.last, last != ASCII.lf, last != ASCII.space
            {
                self.output.append(ASCII.space)
            }
            self.pendingSpace = false
            self.pendingBreak = false
        }

        func endsWithCJK() -> Bool {
            let count = self.output.count
            return count >= 3 && HTMLText.isCJKLead(self.output[count - 3])
                && self.output[count - 2] & 0xC0 == 0x80 && self.output[count - 1] & 0xC0 == 0x80
        }

        mutating func lineBreak() {
            while self.output.last == ASCII.space { self.output.removeLast() }
            if let last = self.output.last, last != ASCII.lf { self.output.append(ASCII.lf) }
            self.pendingSpace = false
            self.pendingBreak = false
        }

        /// Handles `<…`: comments, declarations, elements, or a literal `<`.
        mutating func tag() {
            if self.startsWithCommentOpen() {
                self.index =
                    self.find("-->", from: self.index + 4).map { $0 + 3 } ?? self.input.count
                return
            }
            let next = self.index + 1 < self.input.count ? self.input[self.index + 1] : 0
            if next == 0x21 || next == ASCII.question {
                self.index =
                    self.closingAngle(from: self.index + 1).map { $0 + 1 } ?? self.input.count
                return
            }
            let closing = next == 0x2F
            let nameStart = self.index + (closing ? 2 : 1)
            var nameEnd = nameStart
            while nameEnd < self.input.count, HTMLText.isNameByte(self.input[nameEnd]) {
                nameEnd += 1
            }
            guard nameEnd > nameStart, HTMLText.isLetter(self.input[nameStart]) else {
                self.flushSpace()
                self.output.append(0x3C)
                self.index += 1
                return
            }
            let kind = HTMLText.elementKinds[HTMLText.nameKey(self.input[nameStart..<nameEnd])]
            let values = self.attributes(from: nameEnd)
            if kind == .block {
                self.lineBreak()
            } else if kind == .cell {
                self.pendingSpace = true
            }
            for value in values where !value.isEmpty {
                self.pendingSpace = true
                self.emit(value)
                self.pendingSpace = true
            }
            if !closing, kind == .skipped {
                self.skipContent(of: self.input[nameStart..<nameEnd].map(ASCII.lower))
            }
        }

        /// Reads attributes up to `>`, returning the kept ones' decoded values.
        mutating func attributes(from start: Int) -> [String] {
            var values: [String] = []
            var position = start
            while position < self.input.count {
                let byte = self.input[position]
                if byte == 0x3E {
                    self.index = position + 1
                    return values
                }
                guard HTMLText.isNameByte(byte) else {
                    position += 1
                    continue
                }
                let nameStart = position
                while position < self.input.count, HTMLText.isNameByte(self.input[position]) {
                    position += 1
                }
                let name = HTMLText.nameKey(self.input[nameStart..<position])
                while position < self.input.count, ASCII.isWhitespace(self.input[position]) {
                    position += 1
                }
                guard position < self.input.count, self.input[position] == ASCII.equals else {
                    continue
                }
                position += 1
                while position < self.input.count, ASCII.isWhitespace(self.input[position]) {
                    position += 1
                }
                let (raw, after) = self.attributeValue(from: position)
                position = after
                if HTMLText.keptAttributes.contains(name), !HTMLText.isDataURI(raw) {
                    values.append(HTMLText.decodeEntities(raw))
                }
            }
            self.index = self.input.count
            return values
        }

        func attributeValue(from start: Int) -> (ArraySlice<UInt8>, Int) {
            guard start < self.input.count else { return ([], start) }
            let quote = self.input[start]
            if quote == ASCII.quote || quote == 0x27 {
                let end = self.input[(start + 1)...].firstIndex(of: quote) ?? self.input.count
                return (self.input[(start + 1)..<end], min(end + 1, self.input.count))
            }
            var end = start
            while end < self.input.count, !ASCII.isWhitespace(self.input[end]),
                self.input[end] != 0x3E
            {
                end += 1
            }
            return (self.input[start..<end], end)
        }

        /// Skips everything up to and including `</name…>`.
        mutating func skipContent(of name: [UInt8]) {
            let closing = [0x3C, 0x2F] + name
            var position = self.index
            while let hit = self.find(closing, from: position, caseInsensitive: true) {
                let after = hit + closing.count
                if after >= self.input.count || !HTMLText.isNameByte(self.input[after]) {
                    self.index = self.closingAngle(from: after).map { $0 + 1 } ?? self.input.count
                    return
                }
                position = after
            }
            self.index = self.input.count
        }

        /// Decodes the reference at `&`, or returns `&` itself.
        mutating func entity() -> String {
            let (text, length) = HTMLText.entity(in: self.input[...], at: self.index)
            self.index += length
            return text
        }

        /// Whether `<!--` starts at the current index.
        func startsWithCommentOpen() -> Bool {
            let at = self.index
            return at + 3 < self.input.count && self.input[at + 1] == 0x21
                && self.input[at + 2] == ASCII.hyphen && self.input[at + 3] == ASCII.hyphen
        }

        func closingAngle(from start: Int) -> Int? {
            self.input[min(start, self.input.count)...].firstIndex(of: 0x3E)
        }

        func find(_ literal: String, from start: Int) -> Int? {
            self.find(Array(literal.utf8), from: start, caseInsensitive: false)
        }

        func find(_ needle: [UInt8], from start: Int, caseInsensitive: Bool) -> Int? {
            guard let first = needle.first, needle.count <= self.input.count else { return nil }
            var position = start
            while position + needle.count <= self.input.count {
                guard let hit = self.input[position...].firstIndex(of: first) else { return nil }
                guard hit + needle.count <= self.input.count else { return nil }
                var matched = true
                for offset in 1..<needle.count {
                    let byte = self.input[hit + offset]
                    if (caseInsensitive ? ASCII.lower(byte) : byte) != needle[offset] {
                        matched = false
                        break
                    }
                }
                if matched { return hit }
                position = hit + 1
            }
            return nil
        }
    }

    /// Decodes the references in an attribute value.
    static func decodeEntities(_ raw: ArraySlice<UInt8>) -> String {
        guard raw.contains(0x26) else { return String(decoding: raw, as: UTF8.self) }
        var output = ""
        var index = raw.startIndex
        var runStart = index
        while index < raw.endIndex {
            guard raw[index] == 0x26 else {
                index += 1
                continue
            }
            output += String(decoding: raw[runStart..<index], as: UTF8.self)
            let (text, length) = entity(in: raw, at: index)
            output += text
            index += length
            runStart = index
        }
        output += String(decoding: raw[runStart..<raw.endIndex], as: UTF8.self)
        return output
    }

    /// The text of the reference at `start` (an `&`) and how many bytes it spans.
    static func entity(in input: ArraySlice<UInt8>, at start: Int) -> (String, Int) {
        var position = start + 1
        if position < input.endIndex, input[position] == 0x23 {
            position += 1
            let hex = position < input.endIndex && (input[position] | 0x20) == 0x78
            if hex { position += 1 }
            let digitsStart = position
            var value: UInt32 = 0
            while position < input.endIndex, position - digitsStart < 8 {
                let byte = input[position]
                let digit: UInt8?
                if hex {
                    digit = ASCII.hexValue(byte)
                } else {
                    digit = byte >= 0x30 && byte <= 0x39 ? byte - 0x30 : nil
                }
                guard let digit else { break }
                value = value * (hex ? 16 : 10) + UInt32(digit)
                position += 1
            }
            guard position > digitsStart else { return ("&", 1) }
            if position < input.endIndex, input[position] == ASCII.semicolon { position += 1 }
            return (String(Character(HTMLEntities.numeric(value))), position - start)
        }
        let nameStart = position
        while position < input.endIndex, position - nameStart < 10, isNameByte(input[position]) {
            position += 1
        }
        guard position > nameStart else { return ("&", 1) }
        let name = String(decoding: input[nameStart..<position], as: UTF8.self)
        guard let text = HTMLEntities.named(name) else { return ("&", 1) }
        if position < input.endIndex, input[position] == ASCII.semicolon { position += 1 }
        return (text, position - start)
    }

    /// Whether `byte` ends a run of plain text: `<`, `&` or whitespace.
    @inline(__always)
    static func isSpecial(_ byte: UInt8) -> Bool {
        byte == 0x3C || byte == 0x26 || byte <= ASCII.space
    }

    /// Whether `byte` starts a UTF-8 sequence for U+3000–U+9FFF (CJK punctuation, kana, ideographs).
    static func isCJKLead(_ byte: UInt8) -> Bool {
        byte >= 0xE3 && byte <= 0xE9
    }

    static func isLetter(_ byte: UInt8) -> Bool {
        (0x41...0x5A).contains(byte) || (0x61...0x7A).contains(byte)
    }

    static func isNameByte(_ byte: UInt8) -> Bool {
        isLetter(byte) || (0x30...0x39).contains(byte) || byte == ASCII.hyphen || byte == 0x5F
            || byte == ASCII.colon
    }

    static func isDataURI(_ raw: ArraySlice<UInt8>) -> Bool {
        raw.count >= 5 && raw.prefix(5).map(ASCII.lower) == Array("data:".utf8)
    }
}
