// The character data a reader sees in an XML document part, pulled out at the byte level. Office
// and ODF parts are large, sometimes malformed, and need none of a full parser: no DTDs, no
// entity expansion beyond the five predefined and numeric references (so no entity bombs), and
// text copied straight from the input bytes. Elements match on local names, prefixes ignored.

/// Which elements carry text and which mark paragraph, cell and line boundaries.
struct XMLTextExtractor: Sendable {
    /// Elements whose character data is kept; nil keeps all character data.
    var textElements: Set<String>?
    /// A newline is written after these elements end.
    var paragraphElements: Set<String> = []
    /// A tab is written after these elements end (table cells).
    var cellElements: Set<String> = []
    /// A tab is written where these stand (`w:tab`).
    var tabElements: Set<String> = []
    /// A newline is written where these stand (`w:br`).
    var breakElements: Set<String> = []
    /// A space is written where these stand (ODF's `text:s`).
    var spaceElements: Set<String> = []
    /// `element: attribute` pairs whose attribute value is kept, followed by a newline.
    var attributeText: [String: String] = [:]
    /// An element with this attribute value hides its content (`c t="s"` in a worksheet).
    var hiddenWhen: (element: String, attribute: String, value: String)?

    /// Appends the text of `bytes` to `output`.
    func extract(_ bytes: [UInt8], into output: inout [UInt8]) {
        let roles = self.roleTable()
        bytes.withUnsafeBufferPointer { buffer in
            var state = ScanState()
            var index = 0
            while index < buffer.count {
                if buffer[index] == UInt8(ascii: "<") {
                    index = self.markup(buffer, at: index, roles, &state, &output)
                } else {
                    let end = buffer[index...].firstIndex(of: UInt8(ascii: "<")) ?? buffer.count
                    if state.keepsText(self.textElements == nil) {
                        Self.appendDecoded(buffer[index..<end], to: &output)
                    }
                    index = end
                }
            }
        }
    }

    private struct ScanState {
        var textDepth = 0
        var hiddenDepth = 0

        func keepsText(_ all: Bool) -> Bool {
            self.hiddenDepth == 0 && (all || self.textDepth > 0)
        }
    }

    /// Handles the markup starting at `start`; returns the index after it.
    private func markup(
        _ buffer: UnsafeBufferPointer<UInt8>, at start: Int, _ roles: Roles,
        _ state: inout ScanState, _ output: inout [UInt8]
    ) -> Int {
        let isDeclaration = start + 1 < buffer.count && buffer[start + 1] == UInt8(ascii: "!")
        if isDeclaration, Self.hasPrefix(buffer, start, "<!--") {
            return Self.index(after: "-->", in: buffer, from: start + 4)
        }
        if isDeclaration, Self.hasPrefix(buffer, start, "<![CDATA[") {
            let end = Self.index(of: "]]>", in: buffer, from: start + 9)
            if state.keepsText(self.textElements == nil) {
                output.append(contentsOf: buffer[(start + 9)..<end])
            }
            return min(buffer.count, end + 3)
        }
        let end = Self.tagEnd(buffer, from: start + 1)
        guard start + 1 < buffer.count else { return buffer.count }
        let first = buffer[start + 1]
        if first == UInt8(ascii: "?") || first == UInt8(ascii: "!") { return end }
        let isClosing = first == UInt8(ascii: "/")
        let bodyEnd = max(start + 1, end - 1)
        let isEmpty = !isClosing && bodyEnd > start + 1 && buffer[bodyEnd - 1] == UInt8(ascii: "/")
        let tag = buffer[min(isClosing ? start + 2 : start + 1, bodyEnd)..<bodyEnd]
        let name = Self.localName(tag)
        if isClosing {
            self.close(name, roles, &state, &output)
        } else {
            self.open(name, tag: tag, isEmpty: isEmpty, roles, &state, &output)
        }
        return end
    }

    private func open(
        _ name: Slice<UnsafeBufferPointer<UInt8>>, tag: Slice<UnsafeBufferPointer<UInt8>>,
        isEmpty: Bool, _ roles: Roles, _ state: inout ScanState, _ output: inout [UInt8]
    ) {
        guard let role = roles(name) else { return }
        if role.contains(.attribute),
            let attribute = self.attributeText[String(decoding: name, as: UTF8.self)],
            let value = Self.attribute(attribute, in: tag)
        {
            Self.appendDecoded(value, to: &output)
            output.append(0x0A)
        }
        if role.contains(.tab) { output.append(0x09) }
        if role.contains(.lineBreak) { output.append(0x0A) }
        if role.contains(.space) { output.append(0x20) }
        guard !isEmpty else { return }
        if role.contains(.text) { state.textDepth += 1 }
        if role.contains(.hidden), let hidden = self.hiddenWhen {
            let value = Self.attribute(hidden.attribute, in: tag).map { Array($0) }
            if value == Array(hidden.value.utf8) || state.hiddenDepth > 0 {
                state.hiddenDepth += 1
            }
        }
    }

    private func close(
        _ name: Slice<UnsafeBufferPointer<UInt8>>, _ roles: Roles, _ state: inout ScanState,
        _ output: inout [UInt8]
    ) {
        guard let role = roles(name) else { return }
        if role.contains(.text) { state.textDepth = max(0, state.textDepth - 1) }
        if role.contains(.hidden), state.hiddenDepth > 0 { state.hiddenDepth -= 1 }
        if role.contains(.paragraph) { output.append(0x0A) }
        if role.contains(.cell) { output.append(0x09) }
    }

    /// What an element does, looked up once per tag.
    private struct Role: OptionSet {
        let rawValue: UInt8

        static let text = Role(rawValue: 1 << 0)
        static let paragraph = Role(rawValue: 1 << 1)
        static let cell = Role(rawValue: 1 << 2)
        static let tab = Role(rawValue: 1 << 3)
        static let lineBreak = Role(rawValue: 1 << 4)
        static let space = Role(rawValue: 1 << 5)
        static let attribute = Role(rawValue: 1 << 6)
        static let hidden = Role(rawValue: 1 << 7)
    }

    /// Element names and their roles; a handful, so a linear search beats hashing names.
    private struct Roles {
        var entries: [(name: [UInt8], role: Role)]

        func callAsFunction(_ name: Slice<UnsafeBufferPointer<UInt8>>) -> Role? {
            for entry in self.entries
            where entry.name.count == name.count && entry.name.elementsEqual(name) {
                return entry.role
            }
            return nil
        }
    }

    private func roleTable() -> Roles {
        var roles: [String: Role] = [:]
        let sets: [(Set<String>, Role)] = [
            (self.textElements ?? [], .text), (self.paragraphElements, .paragraph),
            (self.cellElements, .cell), (self.tabElements, .tab), (self.breakElements, .lineBreak),
            (self.spaceElements, .space), (Set(self.attributeText.keys), .attribute),
            (Set(self.hiddenWhen.map { [$0.element] } ?? []), .hidden),
        ]
        for (names, role) in sets {
            for name in names { roles[name, default: []].insert(role) }
        }
        return Roles(entries: roles.map { (Array($0.key.utf8), $0.value) })
    }

    private static func localName(
        _ tag: Slice<UnsafeBufferPointer<UInt8>>
    ) -> Slice<UnsafeBufferPointer<UInt8>> {
        let nameEnd =
            tag.firstIndex { $0 == 0x20 || $0 == 0x09 || $0 == 0x0A || $0 == 0x0D || $0 == 0x2F }
            ?? tag.endIndex
        let name = tag[tag.startIndex..<nameEnd]
        return name.lastIndex(of: UInt8(ascii: ":")).map { name[($0 + 1)...] } ?? name
    }

    /// The raw value of `attribute` (matched on its local name) in a start tag.
    private static func attribute(
        _ attribute: String, in tag: Slice<UnsafeBufferPointer<UInt8>>
    )
        -> Slice<UnsafeBufferPointer<UInt8>>?
    {
        let wanted = Array(attribute.utf8)
        var index = tag.startIndex
        while let equals = tag[index...].firstIndex(of: UInt8(ascii: "=")) {
            var nameStart = equals
            while nameStart > tag.startIndex, !Self.isSpace(tag[nameStart - 1]) {
                nameStart -= 1
            }
            let name = tag[nameStart..<equals]
            let local = name.lastIndex(of: UInt8(ascii: ":")).map { name[($0 + 1)...] } ?? name
            guard equals + 1 < tag.endIndex else { return nil }
            let quote = tag[equals + 1]
            guard quote == 0x22 || quote == 0x27 else { return nil }
            let valueEnd = tag[(equals + 2)...].firstIndex(of: quote) ?? tag.endIndex
            if local.elementsEqual(wanted) { return tag[(equals + 2)..<valueEnd] }
            index = min(tag.endIndex, valueEnd + 1)
        }
        return nil
    }

    private static func isSpace(_ byte: UInt8) -> Bool {
        byte == 0x20 || byte == 0x09 || byte == 0x0A || byte == 0x0D
    }

    /// Index after the `>` closing a tag, skipping `>` inside quoted attribute values.
    private static func tagEnd(_ buffer: UnsafeBufferPointer<UInt8>, from start: Int) -> Int {
        var quote: UInt8 = 0
        var index = start
        while index < buffer.count {
            let byte = buffer[index]
            if quote != 0 {
                if byte == quote { quote = 0 }
            } else if byte == 0x22 || byte == 0x27 {
                quote = byte
            } else if byte == UInt8(ascii: ">") {
                return index + 1
            }
            index += 1
        }
        return buffer.count
    }

    private static func hasPrefix(
        _ buffer: UnsafeBufferPointer<UInt8>, _ at: Int, _ text: String
    )
        -> Bool
    {
        let bytes = text.utf8
        return at + bytes.count <= buffer.count
            && buffer[at..<(at + bytes.count)].elementsEqual(bytes)
    }

    private static func index(
        of text: String, in buffer: UnsafeBufferPointer<UInt8>, from: Int
    )
        -> Int
    {
        var index = from
        while index < buffer.count {
            if Self.hasPrefix(buffer, index, text) { return index }
            index += 1
        }
        return buffer.count
    }

    private static func index(
        after text: String, in buffer: UnsafeBufferPointer<UInt8>, from: Int
    )
        -> Int
    {
        min(buffer.count, Self.index(of: text, in: buffer, from: from) + text.utf8.count)
    }

    /// Appends character data with the predefined and numeric entity references resolved.
    static func appendDecoded(_ text: some Collection<UInt8>, to output: inout [UInt8]) {
        guard text.contains(UInt8(ascii: "&")) else {
            output.append(contentsOf: text)
            return
        }
        var index = text.startIndex
        while index < text.endIndex {
            let byte = text[index]
            guard byte == UInt8(ascii: "&"),
                let semicolon = text[index...].prefix(12).firstIndex(of: UInt8(ascii: ";"))
            else {
                output.append(byte)
                index = text.index(after: index)
                continue
            }
            let name = String(decoding: text[text.index(after: index)..<semicolon], as: UTF8.self)
            if let scalar = Self.entity(name) {
                output.append(contentsOf: Array(String(Character(scalar)).utf8))
            } else {
                output.append(contentsOf: text[index...semicolon])
            }
            index = text.index(after: semicolon)
        }
    }

    private static func entity(_ name: String) -> Unicode.Scalar? {
        switch name {
        case "lt": return "<"
        case "gt": return ">"
        case "amp": return "&"
        case "quot": return "\""
        case "apos": return "'"
        default: break
        }
        guard name.hasPrefix("#") else { return nil }
        let digits = name.dropFirst()
        let value =
            digits.hasPrefix("x") || digits.hasPrefix("X")
            ? UInt32(digits.dropFirst(), radix: 16) : UInt32(digits, radix: 10)
        return value.flatMap { Unicode.Scalar($0) }
    }
}
