// The rule language: what parses, what it means for a message's facts, and the errors with
// columns that `check-config` shows for mistakes.

import Testing

@testable import SluicePolicy

struct TestFacts: RuleFacts {
    var values: [String: FactValue]
    var groups: [String: Set<String>] = [:]

    func value(of fact: String) -> FactValue {
        self.values[fact] ?? .bool(false)
    }

    func isMember(_ address: String, of group: String) -> Bool {
        self.groups[group]?.contains(address.lowercased()) ?? false
    }
}

@Suite struct RuleLanguageTests {
    let catalog = FactCatalog(detectors: ["keyword:confidential", "cn-resident-id"])

    let facts = TestFacts(
        values: [
            "keyword:confidential": .number(2),
            "cn-resident-id": .number(0),
            "cn-resident-id.confidence": .number(0),
            "attachment.group": .texts(["office", "archive"]),
            "attachment.extension": .texts(["docx", "zip"]),
            "attachment.size": .numbers([1000, Double(30 << 20)]),
            "attachment.count": .number(2),
            "attachment.encrypted": .bool(false),
            "recipients.external": .bool(true),
            "sender": .text("CFO@example.com"),
            "sender.domain": .text("example.com"),
            "client": .address("10.1.2.3"),
        ],
        groups: ["finance": ["cfo@example.com"]])

    func evaluate(_ text: String) throws -> Bool {
        let expression = try RuleParser.parse(
            text, catalog: self.catalog, groups: ["finance", "legal"])
        return expression.evaluate(self.facts)
    }

    @Test(arguments: [
        ("keyword:confidential >= 1", true),
        ("keyword:confidential >= 1 and recipients.external", true),
        ("cn-resident-id >= 5 or keyword:confidential > 2", false),
        ("not attachment.encrypted", true),
        ("attachment.group == archive", true),
        ("attachment.group == executable", false),
        ("attachment.group != executable", true),
        ("attachment.extension in (exe, bat, ZIP)", true),
        ("attachment.size > 20MB", true),
        ("attachment.size > 40MB", false),
        ("attachment.count > 10", false),
        ("sender in group:finance", true),
        ("sender in group:legal", false),
        ("sender.domain == \"EXAMPLE.com\"", true),
        ("client in (10.0.0.0/8, 192.168.0.0/16)", true),
        ("client in (172.16.0.0/12)", false),
        (
            "(keyword:confidential >= 1 or cn-resident-id >= 1) and not sender in group:finance",
            false
        ),
        ("cn-resident-id.confidence >= 0.5", false),
        ("true", true),
        // Numbers compared with text facts, some past Int's range (found by fuzzing).
        ("sender.domain == 42", false),
        ("sender.domain == 1e300", false),
        ("sender.domain != 99999999999999999999999", true),
        ("sender.domain in (1e999, example.com)", true),
    ])
    func meaning(expression: String, expected: Bool) throws {
        #expect(try self.evaluate(expression) == expected, "\(expression)")
    }

    @Test(arguments: [
        (
            "keyword:confidental >= 1", 1,
            "unknown fact 'keyword:confidental' (did you mean keyword:confidential?)"
        ),
        ("attachment.group >= 2", 18, "'>=' compares numbers only"),
        ("attachment.size > big", 19, "expected a number or a size such as 20MB"),
        ("recipients.external == maybe", 24, "expected true or false"),
        ("sender in group:nobody", 11, "unknown group 'nobody'"),
        (
            "attachment.count", 17,
            "'attachment.count' is not true or false: compare it with a value"
        ),
        ("(recipients.external", 21, "expected ')'"),
        (
            "recipients.external recipients.external", 21,
            "expected 'and', 'or' or the end of the condition"
        ),
        ("client in (10.0.0.0/99)", 12, "expected an address or network such as 10.0.0.0/8"),
        ("sender == 'open", 11, "unterminated string"),
        ("attachment.extension in (exe bat)", 30, "expected ',' or ')' in the list"),
        ("message.size => 3", 14, "unknown operator '='"),
    ])
    func errorsPointAtTheColumn(expression: String, column: Int, message: String) {
        do {
            _ = try RuleParser.parse(expression, catalog: self.catalog, groups: ["finance"])
            Issue.record("\(expression) parsed, want an error")
        } catch {
            #expect(error.message == message, "\(expression): got \(error.message)")
            #expect(error.column == column, "\(expression): got column \(error.column)")
        }
    }

    @Test func networks() {
        #expect(IPNetwork("10.0.0.0/8")?.contains("10.200.1.1") == true)
        #expect(IPNetwork("10.0.0.0/8")?.contains("11.0.0.1") == false)
        #expect(IPNetwork("2001:db8::/32")?.contains("2001:db8:1::5") == true)
        #expect(IPNetwork("2001:db8::/32")?.contains("10.0.0.1") == false)
        #expect(IPNetwork("192.168.1.5")?.contains("192.168.1.5") == true)
        #expect(IPNetwork("::ffff:10.0.0.1")?.description == "10.0.0.1")
        #expect(IPNetwork("300.1.1.1") == nil)
    }
}
