// MIME charset labels mapped to the decoders that read them.
// Common aliases are folded here; any other label iconv knows is passed through; the GB family
// is widened to GB18030 and Big5 to Big5-HKSCS because senders routinely use the supersets.

import Synchronization

/// A charset Sluice can decode.
enum Charset: Hashable, Sendable {
    case utf8
    case ascii
    case utf16
    case utf32
    case hz
    /// Any other charset, by its iconv name.
    case iconv(String)

    static let gb18030 = Charset.iconv("GB18030")

    private static let aliases: [String: Charset] = {
        var table: [String: Charset] = [:]
        let groups: [(Charset, [String])] = [
            (
                .utf8,
                ["utf-8", "utf8", "unicode-1-1-utf-8", "x-unicode20utf8", "unicode-2-0-utf-8"]
            ),
            (
                .ascii,
                [
                    "us-ascii", "ascii", "ansi_x3.4-1968", "iso646-us", "iso-646-us", "cp367",
                    "us", "csascii", "646",
                ]
            ),
            (
                .gb18030,
                [
                    "gb18030", "gb2312", "gbk", "x-gbk", "cp936", "ms936", "windows-936",
                    "csgb2312", "euc-cn", "x-euc-cn", "euccn", "chinese", "gb_2312-80",
                    "gb2312-80", "gb_2312", "iso-ir-58", "csiso58gb231280", "csgbk", "gb-2312",
                    "x-gb2312", "x-euc", "gb18030-2000", "gb18030-2005", "cp54936",
                ]
            ),
            (
                .iconv("BIG5-HKSCS"),
                [
                    "big5", "big-5", "cn-big5", "csbig5", "x-x-big5", "big5-hkscs", "big5hkscs",
                    "x-big5", "tca-big5",
                ]
            ),
            (.iconv("CP950"), ["cp950", "ms950", "windows-950", "x-windows-950"]),
            (.hz, ["hz-gb-2312", "hz", "hz-gb2312", "cp52936"]),
            (
                .iconv("ISO-2022-JP-2"),
                ["iso-2022-jp", "csiso2022jp", "iso-2022-jp-2", "iso-2022-jp-1", "jis", "cp50220"]
            ),
            (.iconv("ISO-2022-JP-3"), ["iso-2022-jp-3"]),
            (
                .iconv("CP932"),
                [
                    "shift_jis", "shift-jis", "sjis", "x-sjis", "ms_kanji", "csshiftjis",
                    "windows-31j", "cp932", "ms932", "x-ms-cp932", "csWindows31J",
                ]
            ),
            (.iconv("EUC-JP"), ["euc-jp", "x-euc-jp", "eucjp", "cseucpkdfmtjapanese", "ujis"]),
            (
                .iconv("CP949"),
                [
                    "euc-kr", "ks_c_5601-1987", "ks_c_5601", "ksc5601", "ksc_5601", "cseuckr",
                    "korean", "cp949", "uhc", "windows-949", "ms949", "x-windows-949", "euckr",
                    "iso-ir-149", "csksc56011987",
                ]
            ),
            (.iconv("ISO-2022-KR"), ["iso-2022-kr", "csiso2022kr"]),
            (.iconv("ISO-2022-CN"), ["iso-2022-cn"]),
            (.iconv("KOI8-R"), ["koi8-r", "koi8r", "cskoi8r", "koi8"]),
            (.iconv("KOI8-U"), ["koi8-u", "koi8u"]),
            (.utf16, ["utf-16", "utf16", "ucs-2", "ucs2", "iso-10646-ucs-2", "csunicode"]),
            (.iconv("UTF-16LE"), ["utf-16le", "ucs-2le", "unicodelittleunmarked"]),
            (.iconv("UTF-16BE"), ["utf-16be", "ucs-2be", "unicodebigunmarked"]),
            (.utf32, ["utf-32", "utf32", "ucs-4", "ucs4", "iso-10646-ucs-4"]),
            (.iconv("UTF-32LE"), ["utf-32le"]),
            (.iconv("UTF-32BE"), ["utf-32be"]),
            (.iconv("UTF-7"), ["utf-7", "utf7", "unicode-1-1-utf-7", "csunicode11utf7"]),
            (.iconv("ISO-8859-1"), ["latin1", "l1", "iso_8859-1", "iso8859-1", "iso-ir-100"]),
            (.iconv("TIS-620"), ["tis-620", "windows-874", "cp874", "iso-8859-11"]),
        ]
        for (charset, labels) in groups {
            for label in labels { table[label.lowercased()] = charset }
        }
        for number in 1...16 {
            let name = Charset.iconv("ISO-8859-\(number)")
            for label in ["iso-8859-\(number)", "iso8859-\(number)", "iso_8859-\(number)"] {
                table[label] = name
            }
        }
        for number in 1250...1258 {
            let name = Charset.iconv("WINDOWS-\(number)")
            for label in ["windows-\(number)", "cp\(number)", "x-cp\(number)", "win-\(number)"] {
                table[label] = name
            }
        }
        for (latin, part) in [(2, 2), (3, 3), (4, 4), (5, 9), (6, 10), (7, 13), (8, 14), (9, 15)] {
            table["latin\(latin)"] = .iconv("ISO-8859-\(part)")
            table["l\(latin)"] = .iconv("ISO-8859-\(part)")
        }
        return table
    }()

    /// The charset for a MIME label, or nil when neither the alias table nor iconv knows it.
    init?(label: String) {
        var cleaned = label.trimmingASCIIWhitespaceAndQuotes().lowercased()
        if let star = cleaned.firstIndex(of: "*") { cleaned = String(cleaned[..<star]) }
        guard !cleaned.isEmpty, cleaned.utf8.count < 64 else { return nil }
        if let known = Charset.aliases[cleaned] {
            self = known
            return
        }
        let allowed = cleaned.utf8.allSatisfy { byte in
            (0x30...0x39).contains(byte) || (0x61...0x7A).contains(byte)
                || byte == 0x2D || byte == 0x5F || byte == 0x2E || byte == 0x3A
        }
        guard allowed, let known = Charset.iconvLookup(cleaned.uppercased()) else { return nil }
        self = known
    }

    /// Labels outside the alias table already asked of iconv, with the answer; a failing
    /// `iconv_open` is slow, and a message may repeat the same unknown label in every part.
    private static let looked = Mutex<[String: Bool]>([:])

    private static func iconvLookup(_ name: String) -> Charset? {
        if let supported = looked.withLock({ $0[name] }) {
            return supported ? .iconv(name) : nil
        }
        let supported = IconvPool.supports(name)
        looked.withLock { table in
            if table.count >= 512 { table.removeAll() }
            table[name] = supported
        }
        return supported ? .iconv(name) : nil
    }

    /// The canonical lower-case name reported to callers.
    var name: String {
        switch self {
        case .utf8: return "utf-8"
        case .ascii: return "us-ascii"
        case .utf16: return "utf-16"
        case .utf32: return "utf-32"
        case .hz: return "hz-gb-2312"
        case .iconv(let name): return name.lowercased()
        }
    }

    /// Whether ASCII bytes mean ASCII characters with no shift sequences in this charset.
    var isASCIICompatible: Bool {
        switch self {
        case .utf8, .ascii: return true
        case .utf16, .utf32, .hz: return false
        case .iconv(let name):
            return !(name.hasPrefix("UTF-") || name.hasPrefix("ISO-2022"))
        }
    }

    /// Whether this is UTF-16 or UTF-32 in any byte order.
    var isWideUnicode: Bool {
        switch self {
        case .utf16, .utf32: return true
        case .utf8, .ascii, .hz: return false
        case .iconv(let name): return name.hasPrefix("UTF-16") || name.hasPrefix("UTF-32")
        }
    }

    /// Decodes `bytes` to a string and counts undecodable sequences.
    func decode(_ bytes: Bytes) -> (text: String, errors: Int) {
        let result: (text: String, errors: Int)
        switch self {
        case .utf8:
            if let text = String(validating: bytes, as: UTF8.self) {
                result = (text, 0)
            } else {
                result =
                    IconvPool.convert(bytes, from: "UTF-8") ?? (
                        String(decoding: bytes, as: UTF8.self), 1
                    )
            }
        case .ascii:
            result =
                IconvPool.convert(bytes, from: "ASCII") ?? (
                    String(decoding: bytes, as: UTF8.self), 0
                )
        case .utf16:
            result = Charset.decodeUnicode(bytes, width: 2)
        case .utf32:
            result = Charset.decodeUnicode(bytes, width: 4)
        case .hz:
            let euc = HZDecoder.gb2312Bytes(bytes)
            result = euc.withUnsafeBufferPointer { Charset.gb18030.decode($0) }
        case .iconv(let name):
            result =
                IconvPool.convert(bytes, from: name) ?? (String(decoding: bytes, as: UTF8.self), 1)
        }
        guard result.text.utf8.first == 0xEF, result.text.hasPrefix("\u{FEFF}") else {
            return result
        }
        return (String(result.text.dropFirst()), result.errors)
    }

    /// UTF-16 or UTF-32 with a byte order mark, or without one guessed from where zeros fall.
    private static func decodeUnicode(_ bytes: Bytes, width: Int) -> (text: String, errors: Int) {
        let family = width == 2 ? "UTF-16" : "UTF-32"
        if bytes.count >= 2,
            (bytes[0] == 0xFF && bytes[1] == 0xFE) || (bytes[0] == 0xFE && bytes[1] == 0xFF)
                || (bytes.count >= 4 && bytes[0] == 0 && bytes[1] == 0 && bytes[2] == 0xFE)
        {
            return IconvPool.convert(bytes, from: family) ?? ("", 1)
        }
        var zerosAtStart = 0
        var zerosAtEnd = 0
        var index = 0
        while index + width <= min(bytes.count, 4096) {
            if bytes[index] == 0 { zerosAtStart += 1 }
            if bytes[index + width - 1] == 0 { zerosAtEnd += 1 }
            index += width
        }
        let order = zerosAtStart > zerosAtEnd ? "BE" : "LE"
        return IconvPool.convert(bytes, from: family + order) ?? ("", 1)
    }
}

extension String {
    /// The string without surrounding blanks, line breaks and double or single quotes.
    func trimmingASCIIWhitespaceAndQuotes() -> String {
        let utf8 = Array(self.utf8)
        var lower = 0
        var upper = utf8.count
        let strip: (UInt8) -> Bool = { ASCII.isWhitespace($0) || $0 == ASCII.quote || $0 == 0x27 }
        while lower < upper, strip(utf8[lower]) { lower += 1 }
        while upper > lower, strip(utf8[upper - 1]) { upper -= 1 }
        return String(decoding: utf8[lower..<upper], as: UTF8.self)
    }
}
