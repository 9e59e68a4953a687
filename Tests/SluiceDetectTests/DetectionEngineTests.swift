// The whole detection pass on small texts: dictionary terms through the evasions, identifiers
// among their lookalikes, confidence from supporting keywords, masked samples, and the
// on-disk matcher cache.

import Foundation
import Testing

@testable import SluiceDetect

@Suite struct DetectionEngineTests {
    static let confidential = TermList(
        name: "confidential", file: "confidential.txt",
        lines: ["# test list", "机密", "身份证", "internal use only", "/project[- ]?x\\d{2}/"])

    let engine: DetectionEngine

    init() throws {
        self.engine = try DetectionEngine(
            dictionaries: [Self.confidential], options: .init(currentYear: 2026))
    }

    func detectors(_ text: String) -> [String] {
        self.engine.hits(in: text, location: "body").hits.map(\.detector.id)
    }

    @Test(arguments: [
        "本文件为机密，请勿转发",
        "本文件为機密",
        "机 密", "机-密", "机\r\n密", "机\u{200B}密", "机\u{00AD}密", "ＩＮＴＥＲＮＡＬ ＵＳＥ ＯＮＬＹ",
        "Internal\nUse  Only", "身分證號碼", "身份證", "see project-x42 plan",
    ])
    func keywordEvasions(text: String) {
        #expect(self.detectors(text) == ["keyword:confidential"], "text \(text.debugDescription)")
    }

    @Test(arguments: [
        "有机。密切相关", "internal user only", "uninternal use only", "机，密", "projectx4",
    ])
    func keywordNonMatches(text: String) {
        #expect(self.detectors(text).isEmpty, "text \(text.debugDescription)")
    }

    static let residentID = CheckDigits.residentID("11010519491231002")
    static let card = "622202123456789012" + CheckDigits.luhn("622202123456789012")

    @Test func identifiersAmongLookalikes() {
        let id = Self.residentID
        let cases: [(String, [String])] = [
            ("ID \(id) ok", ["cn-resident-id"]),
            ("ID \(Self.fullWidth(id))", ["cn-resident-id"]),
            ("ID 110105\u{200B}19491231002X", ["cn-resident-id"]),
            ("卡号 \(Self.fullWidth(Self.card))", ["bank-card"]),
            ("legacy 110105491231002", ["cn-resident-id"]),
            ("order 12345678901234567890 shipped", []),
            ("order 9\(id) shipped", []),
            ("order \(id)7 shipped", []),
            ("ts 1700000000000 and 20240101120000123", []),
            ("tel 13812345678 \(id)", ["cn-mobile", "cn-resident-id"]),
            ("13812345678\(id)", []),
            ("ref A\(id)", []),
            ("card \(Self.card)", ["bank-card"]),
            ("card 6222 0212 3456 7890 12\(Self.card.suffix(1))", ["bank-card"]),
            ("amex 3782 822463 10005", ["bank-card"]),
            // A column of numbers from a spreadsheet that happens to pass the checks.
            ("cells 62220 21234 56789 012\(Self.card.suffix(1))", []),
            ("cells 622 202 123 456 789 012 \(Self.card.suffix(1))", []),
            ("+86 138-1234-5678", ["cn-mobile"]),
            ("ssn 536-22-1234", ["us-ssn"]),
            ("date 2024-01-15-1234", []),
            ("IBAN GB82 WEST 1234 5698 7654 32", ["iban"]),
            ("key AKIAIOSFODNN7EXAMPLE", ["cloud-credential"]),
            ("key akiaiosfodnn7example", []),
            (
                "-----BEGIN RSA PRIVATE KEY-----\nMIIE\n-----END RSA PRIVATE KEY-----",
                ["private-key"]
            ),
            ("USCC 91350100M000100Y43", ["cn-uscc"]),
        ]
        for (text, expected) in cases {
            let got = self.detectors(text)
            #expect(got == expected, "\(text): got \(got), want \(expected)")
        }
    }

    @Test func supportingKeywordRaisesConfidence() throws {
        let plain = try #require(self.engine.hits(in: "x \(Self.card) y", location: "b").hits.first)
        let near = try #require(self.engine.hits(in: "卡号：\(Self.card)", location: "b").hits.first)
        #expect(plain.confidence == .low)
        #expect(near.confidence == .medium)
    }

    @Test func findingsAreMaskedAndCounted() throws {
        let other = CheckDigits.residentID("44030420000229123")
        let result = self.engine.scan(texts: [
            ScanText(location: "subject", text: "机密 身份证 \(Self.residentID)"),
            ScanText(location: "body 1.1", text: "\(Self.residentID) \(other) \(Self.residentID)"),
        ])
        #expect(result.isComplete)
        let ids = try #require(result.findings.first { $0.detector == .identifier(.residentID) })
        #expect(ids.count == 2)
        #expect(ids.occurrences == 4)
        #expect(ids.distinctPeople == 2)
        #expect(ids.locations == ["subject", "body 1.1"])
        #expect(ids.confidence == .high)
        #expect(ids.samples.first == "110105********002X")
        let keywords = try #require(
            result.findings.first { $0.detector.id == "keyword:confidential" })
        #expect(keywords.count == 2)
        for finding in result.findings {
            for sample in finding.samples {
                #expect(!sample.contains("1949"), "unmasked value in \(sample)")
                #expect(!sample.contains(other.prefix(10)), "unmasked value in \(sample)")
            }
        }
    }

    @Test func cardSampleKeepsIssuerAndLastFour() throws {
        let hit = try #require(self.engine.hits(in: "card \(Self.card)", location: "b").hits.first)
        #expect(hit.sample == "6222 **** **** *** \(Self.card.suffix(4))")
    }

    @Test func keywordSampleHasMaskedContext() throws {
        let text = "编号 12345 的机密文件 7788"
        let hit = try #require(self.engine.hits(in: text, location: "b").hits.first)
        #expect(hit.sample == "编号 ***** 的[机密]文件 ****")
        #expect(hit.normalized == "机密")
        #expect(hit.line == 2)
    }

    @Test func badLinesAreReportedWithFileAndLine() {
        let list = TermList(
            name: "bad", file: "bad.txt", lines: ["ok term", "/unclosed(/", "x", "/a*/"])
        let problems = DetectionEngine.check(dictionaries: [list]).map(\.description)
        #expect(problems.count == 3)
        #expect(problems.first?.hasPrefix("bad.txt:2: error: invalid regular expression") == true)
        #expect(problems.dropFirst().first?.hasPrefix("bad.txt:3: error: term 'x'") == true)
        #expect(problems.last?.hasPrefix("bad.txt:4: error:") == true)
        #expect(throws: DetectError.self) { try DetectionEngine(dictionaries: [list]) }
    }

    @Test func cacheIsWrittenAndReused() throws {
        let directory = NSTemporaryDirectory() + "sluice-cache-\(UUID().uuidString)"
        defer { try? FileManager.default.removeItem(atPath: directory) }
        let options = DetectionEngine.Options(cacheDirectory: directory)
        let first = try DetectionEngine(dictionaries: [Self.confidential], options: options)
        let second = try DetectionEngine(dictionaries: [Self.confidential], options: options)
        #expect(!first.loadedFromCache)
        #expect(first.cacheProblem == nil)
        #expect(second.loadedFromCache)
        #expect(second.hits(in: "机密", location: "b").hits.count == 1)

        var changed = Self.confidential
        changed.lines.append("董事会决议")
        let third = try DetectionEngine(dictionaries: [changed], options: options)
        #expect(!third.loadedFromCache)
        #expect(third.hits(in: "董事會決議", location: "b").hits.count == 1)
        let files = try FileManager.default.contentsOfDirectory(atPath: directory)
        #expect(files.count == 1, "stale cache files left: \(files)")
    }

    @Test func damagedCacheIsIgnored() throws {
        let directory = NSTemporaryDirectory() + "sluice-cache-\(UUID().uuidString)"
        defer { try? FileManager.default.removeItem(atPath: directory) }
        let options = DetectionEngine.Options(cacheDirectory: directory)
        _ = try DetectionEngine(dictionaries: [Self.confidential], options: options)
        for name in try FileManager.default.contentsOfDirectory(atPath: directory) {
            let path = directory + "/" + name
            let data = try Data(contentsOf: URL(fileURLWithPath: path))
            try data.prefix(data.count / 2).write(to: URL(fileURLWithPath: path))
        }
        let engine = try DetectionEngine(dictionaries: [Self.confidential], options: options)
        #expect(!engine.loadedFromCache)
        #expect(engine.hits(in: "機密", location: "b").hits.count == 1)
    }

    @Test func scansConcurrently() async {
        let engine = self.engine
        await withTaskGroup(of: Int.self) { group in
            for _ in 0..<8 {
                group.addTask { engine.hits(in: "机密 \(Self.residentID)", location: "b").hits.count }
            }
            for await count in group {
                #expect(count == 2)
            }
        }
    }

    @Test func edgeCases() throws {
        let bare = try DetectionEngine(dictionaries: [])
        #expect(bare.hits(in: "", location: "b").hits.isEmpty)
        #expect(bare.hits(in: "ID \(Self.residentID)", location: "b").hits.count == 1)

        let flood = String(repeating: "机密 ", count: HyperscanMatcher.matchLimit + 10)
        let result = self.engine.scan(texts: [ScanText(location: "body", text: flood)])
        #expect(!result.isComplete)
        #expect(result.findings.first?.occurrences == HyperscanMatcher.matchLimit)
        #expect(result.findings.first?.samples.count == Finding.sampleLimit)
    }

    static func fullWidth(_ text: String) -> String {
        String(
            String.UnicodeScalarView(
                text.unicodeScalars.map { scalar in
                    scalar.value >= 0x21 && scalar.value <= 0x7E
                        ? Unicode.Scalar(scalar.value + 0xFEE0) ?? scalar : scalar
                }))
    }
}
