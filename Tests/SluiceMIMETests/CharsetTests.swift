// Charset decoding: every label family the spec names, common aliases, the GB family read as
// GB18030, the fallback order (declared, UTF-8, GB18030) and U+FFFD for undecodable bytes.

import Testing

@testable import SluiceMIME

struct CharsetCase: Sendable, CustomTestStringConvertible {
    /// The MIME label the part declares.
    var label: String
    var text: String
    /// The iconv name used to build the fixture bytes.
    var encoding: String
    var testDescription: String { "\(self.label) (\(self.encoding))" }

    init(_ label: String, _ text: String, _ encoding: String) {
        self.label = label
        self.text = text
        self.encoding = encoding
    }
}

struct FallbackCase: Sendable, CustomTestStringConvertible {
    var name: String
    var declared: String?
    var bytes: [UInt8]
    var text: String
    var charset: String
    var undecodable: Bool
    var testDescription: String { self.name }
}

@Suite struct CharsetTests {
    static let labelled: [CharsetCase] = [
        CharsetCase("utf-8", "机密 café", "UTF-8"),
        CharsetCase("UTF8", "机密", "UTF-8"),
        CharsetCase("us-ascii", "plain text", "ASCII"),
        CharsetCase("gb2312", "朱镕基 机密", "GBK"),
        CharsetCase("gbk", "机密 镕", "GBK"),
        CharsetCase("gb18030", "机密 𠀀 €", "GB18030"),
        CharsetCase("x-gbk", "机密", "GBK"),
        CharsetCase("cp936", "机密", "GBK"),
        CharsetCase("ms936", "机密", "GBK"),
        CharsetCase("csGB2312", "机密", "GBK"),
        CharsetCase("GB_2312-80", "机密", "GBK"),
        CharsetCase("\"gb2312\"", "机密", "GBK"),
        CharsetCase("big5", "機密文件", "BIG5"),
        CharsetCase("big5-hkscs", "機密 㗎", "BIG5-HKSCS"),
        CharsetCase("iso-2022-jp", "機密情報です", "ISO-2022-JP"),
        CharsetCase("shift_jis", "機密情報", "SHIFT_JIS"),
        CharsetCase("euc-jp", "機密情報", "EUC-JP"),
        CharsetCase("euc-kr", "기밀 문서", "EUC-KR"),
        CharsetCase("ks_c_5601-1987", "기밀 문서", "CP949"),
        CharsetCase("iso-2022-kr", "기밀 문서", "ISO-2022-KR"),
        CharsetCase("iso-8859-1", "café", "ISO-8859-1"),
        CharsetCase("iso-8859-5", "секрет", "ISO-8859-5"),
        CharsetCase("iso-8859-15", "prix 5 €", "ISO-8859-15"),
        CharsetCase("windows-1251", "секрет", "CP1251"),
        CharsetCase("windows-1252", "“quoted” €", "CP1252"),
        CharsetCase("cp1250", "Zažluťoučký kůň", "CP1250"),
        CharsetCase("koi8-r", "секрет", "KOI8-R"),
        CharsetCase("koi8-u", "ґанок", "KOI8-U"),
        CharsetCase("utf-16", "机密 text", "UTF-16"),
        CharsetCase("utf-16", "机密 text", "UTF-16LE"),
        CharsetCase("utf-16", "secret text", "UTF-16BE"),
        CharsetCase("utf-16le", "机密", "UTF-16LE"),
        CharsetCase("utf-16be", "机密", "UTF-16BE"),
        CharsetCase("utf-32", "机密", "UTF-32"),
        CharsetCase("utf-32", "secret", "UTF-32LE"),
        CharsetCase("utf-7", "机密", "UTF-7"),
    ]

    @Test(arguments: labelled)
    func decodesLabelledCharset(_ test: CharsetCase) {
        let bytes = encode(test.text, as: test.encoding)
        #expect(!bytes.isEmpty, "fixture could not be encoded")
        let decoded = CharsetDecoder.decode(bytes, declared: test.label)
        #expect(
            decoded.text == test.text,
            "got \(decoded.text.debugDescription), want \(test.text.debugDescription)")
        #expect(decoded.undecodable == 0)
        #expect(!decoded.fellBack, "fell back to \(decoded.charset)")
    }

    @Test func hzGB2312() {
        // "机密" in GB2312 is BB FA C3 DC; HZ clears the high bits inside ~{ … ~}.
        let bytes = Array("a ~{;zC\\~} b ~~".utf8)
        let decoded = CharsetDecoder.decode(bytes, declared: "hz-gb-2312")
        #expect(decoded.text == "a 机密 b ~")
        #expect(!decoded.fellBack)
    }

    @Test func gbFamilyIsReadAsGB18030() {
        for label in ["gb2312", "gbk", "x-gbk", "cp936", "euc-cn"] {
            #expect(Charset(label: label) == .gb18030, "\(label) should be read as GB18030")
        }
        #expect(Charset(label: "no-such-charset") == nil)
    }

    static let fallbacks: [FallbackCase] = [
        FallbackCase(
            name: "ascii label on utf-8", declared: "us-ascii", bytes: Array("机密".utf8), text: "机密",
            charset: "utf-8", undecodable: false),
        FallbackCase(
            name: "no label on gbk", declared: nil, bytes: [0xBB, 0xFA, 0xC3, 0xDC], text: "机密",
            charset: "gb18030", undecodable: false),
        FallbackCase(
            name: "utf-8 label on gbk", declared: "utf-8", bytes: [0xBB, 0xFA, 0xC3, 0xDC],
            text: "机密",
            charset: "gb18030", undecodable: false),
        FallbackCase(
            name: "unknown label on utf-8", declared: "x-mac-klingon", bytes: Array("机密".utf8),
            text: "机密", charset: "utf-8", undecodable: false),
        FallbackCase(
            name: "utf-16 label on utf-8", declared: "utf-16", bytes: Array("机密 report".utf8),
            text: "机密 report", charset: "utf-8", undecodable: false),
        FallbackCase(
            name: "utf-16 label on ascii", declared: "utf-16", bytes: Array("plain".utf8),
            text: "plain", charset: "us-ascii", undecodable: false),
        FallbackCase(
            name: "undecodable byte", declared: "utf-8", bytes: [0x61, 0xFF, 0x62],
            text: "a\u{FFFD}b",
            charset: "utf-8", undecodable: true),
    ]

    @Test(arguments: fallbacks)
    func fallsBack(_ test: FallbackCase) {
        let decoded = CharsetDecoder.decode(test.bytes, declared: test.declared)
        #expect(
            decoded.text == test.text,
            "got \(decoded.text.debugDescription), want \(test.text.debugDescription)")
        #expect(decoded.charset == test.charset)
        #expect(decoded.fellBack == (test.charset != test.declared))
        #expect((decoded.undecodable > 0) == test.undecodable)
    }

    @Test func byteOrderMarkWinsWithoutLabel() {
        let decoded = CharsetDecoder.decode(encode("机密", as: "UTF-16"), declared: nil)
        #expect(decoded.text == "机密")
        #expect(decoded.charset == "utf-16")
        #expect(!decoded.fellBack)
    }

    @Test func byteOrderMarkAgreeingWithLabelIsNotAFallback() {
        let bytes: [UInt8] = [0xFF, 0xFE] + encode("机密", as: "UTF-16LE")
        let decoded = CharsetDecoder.decode(bytes, declared: "utf-16le")
        #expect(decoded.text == "机密")
        #expect(!decoded.fellBack)
    }

    @Test func concurrentDecodingSharesDescriptorsSafely() async {
        let gbk = encode("机密资料", as: "GBK")
        let big5 = encode("機密資料", as: "BIG5")
        let results = await withTaskGroup(of: Bool.self) { group in
            for task in 0..<16 {
                group.addTask {
                    (0..<200).allSatisfy { _ in
                        task.isMultiple(of: 2)
                            ? CharsetDecoder.decode(gbk, declared: "gbk").text == "机密资料"
                            : CharsetDecoder.decode(big5, declared: "big5").text == "機密資料"
                    }
                }
            }
            return await group.reduce(into: [Bool]()) { $0.append($1) }
        }
        #expect(results.count == 16 && results.allSatisfy { $0 })
    }

    @Test func fallbackIsFlaggedOnThePart() throws {
        var builder = MessageBuilder()
        builder.lines(["Content-Type: text/plain; charset=us-ascii", ""])
        builder.raw([0xBB, 0xFA, 0xC3, 0xDC, 0x0D, 0x0A])
        let message = builder.parsed()
        let part = try #require(message.parts.first)
        #expect(part.flags.contains(.charsetFallback))
        #expect(part.textCharset == "gb18030")
        #expect(part.declaredCharset == "us-ascii")
        #expect(message.text(from: .body(path: "1")) == "机密\r\n")
        #expect(message.problems.contains { $0.kind == .charsetFallback })
    }

    @Test func undecodableBytesAreKeptAsReplacement() throws {
        var builder = MessageBuilder()
        builder.lines(["Content-Type: text/plain; charset=utf-8", ""])
        builder.raw(Array("secret ".utf8) + [0xFF, 0xFF] + Array(" plan".utf8))
        let message = builder.parsed()
        let part = try #require(message.parts.first)
        #expect(part.flags.contains(.undecodableBytes))
        let text = try #require(message.text(from: .body(path: "1")))
        #expect(text.hasPrefix("secret ") && text.hasSuffix(" plan") && text.contains("\u{FFFD}"))
    }
}
