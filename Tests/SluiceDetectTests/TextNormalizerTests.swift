// Normalisation of the evasions a sender might try: full-width forms, case, invisible
// characters, soft hyphens, separators and line breaks inside CJK terms, Traditional forms.
// Also checks that offsets lead back to the original text.

import Testing

@testable import SluiceDetect

@Suite struct TextNormalizerTests {
    let normalizer: TextNormalizer

    init() throws {
        self.normalizer = try TextNormalizer()
    }

    @Test(arguments: [
        ("１２３ＡＢＣ", "123abc"),
        ("Confidential", "confidential"),
        ("CONFIDENTIAL", "confidential"),
        ("con\u{200B}fiden\u{200D}tial", "confidential"),
        ("con\u{00AD}fidential", "confidential"),
        ("\u{FEFF}机\u{2060}密", "机密"),
        ("机 密", "机密"),
        ("机-密", "机密"),
        ("机\r\n密", "机密"),
        ("机　密", "机密"),
        ("机 - 密", "机密"),
        ("機密", "机密"),
        ("身分證", "身分证"),
        ("內部資料", "内部资料"),
        ("internal   use\t\nonly", "internal use only"),
        ("①②", "12"),
        ("ﬁle", "file"),
        ("机，密", "机,密"),
        ("有机。密切", "有机。密切"),
        ("a - b", "a - b"),
        ("ＩＮＴＥＲＮＡＬ　ＵＳＥ", "internal use"),
        ("ÉTÉ", "été"),
        // Runs long enough for the word-at-a-time and CJK-run paths, and their edges.
        ("THE QUICK BROWN FOX JUMPS", "the quick brown fox jumps"),
        ("The quick  brown\tfox\n\njumps over", "the quick brown fox jumps over"),
        ("這是一個機密文件內部資料", "这是一个机密文件内部资料"),
        ("机密文件资料 - 內部資料", "机密文件资料内部资料"),
        ("ABCDEFGH机密文件ABCDEFGH", "abcdefgh机密文件abcdefgh"),
        ("abcdefg 机密文件 hijklmn", "abcdefg 机密文件 hijklmn"),
    ])
    func folds(input: String, expected: String) {
        let got = self.normalizer.normalize(input).string
        #expect(
            got == expected, "normalize(\(input.debugDescription)): got \(got.debugDescription)")
    }

    @Test func expandingFoldsGrowTheOutput() {
        let input = String(repeating: "\u{FDFA}", count: 40)
        let expected = String(repeating: "صلى الله عليه وسلم", count: 40)
        let got = self.normalizer.normalize(input)
        #expect(got.string == expected)
        let origins = got.bytes.indices.map { got.originalOffset(of: $0) }
        #expect(origins.allSatisfy { $0 < 120 })
        let starts = Set(origins)
        #expect(starts.isSuperset(of: stride(from: 0, to: 120, by: 3)))
    }

    @Test func longGapIsNotBridged() {
        let got = self.normalizer.normalize("机          密").string
        #expect(got == "机 密")
    }

    @Test(arguments: [
        ("前文 機\u{200B}密 后文", "機\u{200B}密"),
        ("see ＣＯＮＦＩＤＥＮＴＩＡＬ here", "ＣＯＮＦＩＤＥＮＴＩＡＬ"),
        ("x 机\n密 y", "机\n密"),
        ("机 密", "机 密"),
        ("\u{200B}\u{200B}ＡＢ  ｃｄ\u{200B}", "ＡＢ  ｃｄ"),
        ("㎏㎏ 5㎏ 机-密 ①②③", "机-密"),
        ("a\u{FDFA}b CONFIDENTIAL", "CONFIDENTIAL"),
        ("前 後臺 后", "後臺"),
        ("末尾の機密", "機密"),
        ("前文前文前文前文 機密文件 後文", "機密文件"),
        ("HEADLINE TEXT 機 密 文 件 MORE TEXT", "機 密 文 件"),
    ])
    func offsetsMapBack(input: String, original: String) throws {
        let normalized = self.normalizer.normalize(input)
        let folded = self.normalizer.normalize(original).bytes
        let start = try #require(Self.find(folded, in: normalized.bytes))
        let bytes = Array(input.utf8)
        let range = normalized.originalRange(of: start..<start + folded.count, in: bytes)
        let got = String(decoding: bytes[range], as: UTF8.self)
        #expect(got == original, "mapped back to \(got.debugDescription)")
    }

    @Test(arguments: [
        [0x61, 0xFF, 0x62] as [UInt8],
        [0x61, 0xC0, 0x62],
        [0x61, 0xED, 0xA0, 0x80, 0x62],
        [0x61, 0xE0, 0x80, 0x62],
        [0x61, 0xF4, 0x90, 0x80, 0x80, 0x62],
        [0x61, 0xE6, 0x9C, 0x62],
    ])
    func invalidUTF8BecomesReplacement(bytes: [UInt8]) {
        let got = bytes.withUnsafeBufferPointer { self.normalizer.normalize(bytes: $0) }
        #expect(got.string.hasPrefix("a\u{FFFD}"), "got \(got.string.debugDescription)")
        #expect(got.string.hasSuffix("b"))
        #expect(String(validating: got.bytes, as: UTF8.self) != nil)
    }

    static func find(_ needle: [UInt8], in haystack: [UInt8]) -> Int? {
        guard needle.count <= haystack.count else {
            return nil
        }
        for start in 0...(haystack.count - needle.count)
        where Array(haystack[start..<start + needle.count]) == needle {
            return start
        }
        return nil
    }
}
