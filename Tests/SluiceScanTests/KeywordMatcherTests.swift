// Literal keyword search: ASCII case folding, exact CJK bytes, edges of the buffer.

import Testing

@testable import SluiceScan

@Suite struct KeywordMatcherTests {
    func matches(_ terms: [String], in text: String) -> [String] {
        let matcher = KeywordMatcher(terms: terms)
        return Array(text.utf8).withUnsafeBytes { matcher.matches(in: $0) }
    }

    @Test(arguments: [
        (["secret"], "a SeCrEt plan", ["secret"]),
        (["绝密"], "本文件绝密", ["绝密"]),
        (["绝密", "机密"], "机密 and 绝密", ["绝密", "机密"]),
        (["end"], "the end", ["end"]),
        (["start"], "start here", ["start"]),
        (["longer than text"], "short", []),
        (["", "x"], "x", ["x"]),
        (["secret"], "secre", []),
        (["aab"], "aaab", ["aab"]),
    ])
    func finds(terms: [String], text: String, expected: [String]) {
        #expect(self.matches(terms, in: text) == expected, "terms \(terms) in \(text)")
    }

    @Test func scannerReportsDetectorAndCount() {
        let scanner = MessageScanner(keywords: ["alpha", "beta", "gamma"])
        let report = Array("Subject: alpha\r\n\r\nbeta beta".utf8).withUnsafeBytes {
            scanner.scan($0)
        }
        #expect(report.count(of: MessageScanner.configKeywordDetector) == 2)
        #expect(report.findings.first?.samples == ["alpha", "beta"])
        #expect(report.messageSize == 27)
    }
}
