// The visible text of an RTF document and the data of its embedded objects. Control words are
// dropped, destinations that hold no visible text (font and colour tables, pictures, field
// instructions) are skipped, `\'xx` bytes are decoded with the code page of the current font or
// of the document (`\ansicpg936` for GBK), `\uN` escapes as Unicode with their fallback bytes
// skipped, and the hex of each `\objdata` is collected for scanning as a file of its own.

struct RTFText {
    private struct Group {
        var skipped = false
        var fallbackCount = 1
        var codePage: Int?
        var inFontTable = false
        var inObjectData = false
    }

    /// What an RTF document holds.
    struct Content {
        var text: String
        /// The bytes of each `\objdata` destination (OLE 1.0 embedded objects).
        var objects: [[UInt8]]
        /// The document's ANSI code page, which object names are written in.
        var codePage: Int
    }

    private static let skippedDestinations: Set<String> = [
        "fonttbl", "colortbl", "stylesheet", "info", "pict", "themedata",
        "datastore", "xmlnstbl", "listtable", "listoverridetable", "rsidtbl", "generator",
        "latentstyles", "pgdsctbl", "revtbl", "fldinst", "filetbl", "mmathPr", "colorschememapping",
        "bkmkstart", "bkmkend", "listtext", "pntext", "xe", "tc",
    ]

    /// Windows code pages of the RTF `\fcharset` values.
    private static let charsetCodePages: [Int: Int] = [
        0: 1252, 128: 932, 129: 949, 134: 936, 136: 950, 161: 1253, 162: 1254, 163: 1258,
        177: 1255, 178: 1256, 186: 1257, 204: 1251, 222: 874, 238: 1250,
    ]

    /// `\ucN` above this is treated as this; real writers use 1 or 2, and a huge N would hide
    /// the rest of a group.
    private static let maxFallback = 8

    private var output: [UInt8] = []
    private var pending: [UInt8] = []
    private var stack: [Group] = [Group()]
    private var documentCodePage = 1252
    private var fontCodePages: [Int: Int] = [:]
    private var definingFont: Int?
    private var highSurrogate: UInt32?
    private var fallbackToSkip = 0
    private var objects: [[UInt8]] = []
    private var objectHex: [UInt8] = []

    /// The text and embedded objects of `bytes`.
    static func extract(_ bytes: [UInt8]) -> Content {
        var parser = RTFText()
        parser.run(bytes)
        parser.flush()
        parser.finishObject()
        return Content(
            text: String(decoding: parser.output, as: UTF8.self), objects: parser.objects,
            codePage: parser.documentCodePage)
    }

    private mutating func run(_ bytes: [UInt8]) {
        var index = 0
        while index < bytes.count {
            let byte = bytes[index]
            switch byte {
            case UInt8(ascii: "{"):
                self.fallbackToSkip = 0
                self.stack.append(self.stack.last ?? Group())
                index += 1
            case UInt8(ascii: "}"):
                self.fallbackToSkip = 0
                self.flush()
                if self.stack.count > 1 { self.stack.removeLast() }
                if self.stack.last?.inObjectData != true { self.finishObject() }
                index += 1
            case UInt8(ascii: "\\"):
                index = self.control(bytes, index + 1)
            case 0x0D, 0x0A:
                index += 1
            default:
                if self.stack.last?.inObjectData == true {
                    self.objectHex.append(byte)
                } else {
                    self.character(byte)
                }
                index += 1
            }
        }
    }

    /// Turns the hex collected from an `\objdata` destination into bytes.
    private mutating func finishObject() {
        guard !self.objectHex.isEmpty else { return }
        var bytes: [UInt8] = []
        bytes.reserveCapacity(self.objectHex.count / 2)
        var high: UInt8?
        for character in self.objectHex {
            guard let nibble = Self.hexValue(character) else { continue }
            if let first = high {
                bytes.append(first << 4 | nibble)
                high = nil
            } else {
                high = nibble
            }
        }
        self.objects.append(bytes)
        self.objectHex.removeAll()
    }

    private static func hexValue(_ character: UInt8) -> UInt8? {
        switch character {
        case 0x30...0x39: return character - 0x30
        case 0x41...0x46: return character - 0x41 + 10
        case 0x61...0x66: return character - 0x61 + 10
        default: return nil
        }
    }

    private var isSkipped: Bool {
        self.stack.last?.skipped ?? false
    }

    private mutating func character(_ byte: UInt8) {
        if self.fallbackToSkip > 0 {
            self.fallbackToSkip -= 1
            return
        }
        guard !self.isSkipped else { return }
        if byte >= 0x80 {
            self.pending.append(byte)
        } else {
            self.flush()
            self.output.append(byte)
        }
    }

    /// Handles the control word or symbol after a backslash; returns the index after it.
    private mutating func control(_ bytes: [UInt8], _ start: Int) -> Int {
        guard start < bytes.count else { return start }
        let first = bytes[start]
        if first == UInt8(ascii: "'") {
            let hex = bytes[min(start + 1, bytes.count)..<min(start + 3, bytes.count)]
            if let value = UInt8(String(decoding: hex, as: UTF8.self), radix: 16) {
                if self.fallbackToSkip > 0 {
                    self.fallbackToSkip -= 1
                } else if !self.isSkipped {
                    self.pending.append(value)
                }
            }
            return min(start + 3, bytes.count)
        }
        guard Self.isLetter(first) else { return self.symbol(first, start) }
        var end = start
        while end < bytes.count, Self.isLetter(bytes[end]) { end += 1 }
        let word = String(decoding: bytes[start..<end], as: UTF8.self)
        var numberEnd = end
        if numberEnd < bytes.count, bytes[numberEnd] == UInt8(ascii: "-") { numberEnd += 1 }
        while numberEnd < bytes.count, (0x30...0x39).contains(bytes[numberEnd]) { numberEnd += 1 }
        let parameter = Int(String(decoding: bytes[end..<numberEnd], as: UTF8.self))
        var next = numberEnd
        if next < bytes.count, bytes[next] == 0x20 { next += 1 }
        if word == "bin", let count = parameter, count > 0 {
            return count >= bytes.count - next ? bytes.count : next + count
        }
        self.word(word, parameter)
        return next
    }

    private mutating func symbol(_ symbol: UInt8, _ start: Int) -> Int {
        switch symbol {
        case UInt8(ascii: "*"):
            self.setSkipped()
        case UInt8(ascii: "~"):
            self.character(0x20)
        case UInt8(ascii: "\\"), UInt8(ascii: "{"), UInt8(ascii: "}"):
            self.character(symbol)
        case 0x0A, 0x0D:
            self.emit("\n")
        default:
            break
        }
        return start + 1
    }

    private mutating func word(_ word: String, _ parameter: Int?) {
        if word == "objdata" {
            self.setSkipped()
            self.stack[self.stack.count - 1].inObjectData = true
            return
        }
        if Self.skippedDestinations.contains(word) {
            if word == "fonttbl" { self.setFontTable() } else { self.setSkipped() }
            return
        }
        switch word {
        case "par", "line", "sect", "page", "row": self.emit("\n")
        case "tab", "cell": self.emit("\t")
        case "ansicpg": self.documentCodePage = parameter ?? 1252
        case "uc": self.setFallbackCount(parameter ?? 1)
        case "u": self.unicode(parameter ?? 0)
        case "f": self.selectFont(parameter)
        case "fcharset":
            if let font = self.definingFont, let charset = parameter {
                self.fontCodePages[font] = Self.charsetCodePages[charset]
            }
        case "cpg":
            if let font = self.definingFont, let page = parameter {
                self.fontCodePages[font] = page
            }
        default: break
        }
    }

    private mutating func emit(_ text: String) {
        guard !self.isSkipped else { return }
        self.flush()
        self.output.append(contentsOf: Array(text.utf8))
    }

    private mutating func unicode(_ value: Int) {
        self.flush()
        let code = UInt32(truncatingIfNeeded: value < 0 ? value + 65_536 : value)
        self.fallbackToSkip = self.stack.last?.fallbackCount ?? 1
        guard !self.isSkipped else { return }
        if (0xD800...0xDBFF).contains(code) {
            self.highSurrogate = code
            return
        }
        var scalarValue = code
        if (0xDC00...0xDFFF).contains(code), let high = self.highSurrogate {
            scalarValue = 0x10000 + ((high - 0xD800) << 10) + (code - 0xDC00)
        }
        self.highSurrogate = nil
        if let scalar = Unicode.Scalar(scalarValue) {
            self.output.append(contentsOf: Array(String(Character(scalar)).utf8))
        }
    }

    private mutating func selectFont(_ font: Int?) {
        guard let font else { return }
        if self.stack.last?.inFontTable == true {
            self.definingFont = font
        } else {
            self.flush()
            self.stack[self.stack.count - 1].codePage = self.fontCodePages[font]
        }
    }

    private mutating func setSkipped() {
        self.stack[self.stack.count - 1].skipped = true
    }

    private mutating func setFontTable() {
        self.stack[self.stack.count - 1].skipped = true
        self.stack[self.stack.count - 1].inFontTable = true
    }

    private mutating func setFallbackCount(_ count: Int) {
        self.stack[self.stack.count - 1].fallbackCount = min(max(0, count), Self.maxFallback)
    }

    /// Decodes the collected `\'xx` bytes with the current code page.
    private mutating func flush() {
        guard !self.pending.isEmpty else { return }
        let page = self.stack.last?.codePage ?? self.documentCodePage
        let text =
            CharsetConverter.decode(self.pending, from: "CP\(page)", strict: false)
            ?? CharsetConverter.decode(self.pending, from: "CP1252", strict: false) ?? ""
        self.output.append(contentsOf: Array(text.utf8))
        self.pending.removeAll(keepingCapacity: true)
    }

    private static func isLetter(_ byte: UInt8) -> Bool {
        (0x41...0x5A).contains(byte) || (0x61...0x7A).contains(byte)
    }
}
