// The dictionaries shipped in `dictionaries/`: they compile, they catch sensitive mail in
// either script, and ordinary business mail (disclaimers, invoices, a signed deal) passes.

import Foundation
import Testing

@testable import SluiceDetect

@Suite struct ShippedDictionaryTests {
    static let directory = URL(fileURLWithPath: #filePath)
        .deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
        .appendingPathComponent("dictionaries").path

    @Test func shippedDictionariesCompile() throws {
        let lists = try DictionaryDirectory(path: Self.directory).load()
        #expect(lists.map(\.name) == ["confidential", "contracts", "finance"])
        #expect(DetectionEngine.check(dictionaries: lists).isEmpty)
    }

    @Test(arguments: [
        ("本报告为機密文件，请勿外传", "keyword:confidential"),
        ("附件是2024年度工資表", "keyword:finance"),
        ("Contract No. 2024-118 attached", "keyword:contracts"),
        ("STRICTLY CONFIDENTIAL draft", "keyword:confidential"),
    ])
    func sensitiveMailMatches(text: String, detector: String) throws {
        let engine = try DetectionEngine(dictionaryDirectory: Self.directory)
        let found = engine.hits(in: text, location: "body").hits.map(\.detector.id)
        #expect(found.contains(detector), "\(text): got \(found)")
    }

    @Test(arguments: [
        "您好，附件是本周的会议纪要，请查收。如有问题请随时联系。",
        "Hi team, the contract was signed yesterday; invoice to follow. Thanks!",
        "请将货款汇入以下银行账户：招商银行，谢谢。",
        "This e-mail may contain confidential information. If you are not the intended "
            + "recipient, please delete it.",
        "本邮件及其附件可能含有保密信息，如误收请删除。",
        "我们的合同已经签好了，下周开始执行。",
    ])
    func ordinaryMailDoesNotMatch(text: String) throws {
        let engine = try DetectionEngine(dictionaryDirectory: Self.directory)
        let found = engine.hits(in: text, location: "body").hits.map(\.detector.id)
        #expect(found.isEmpty, "\(text): got \(found)")
    }
}
