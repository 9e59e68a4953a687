// One SMTP server reply as the test client saw it: code, enhanced status and text.
// Multi-line replies are joined so a test can assert "550 5.7.1 ..." in one place.

import Foundation

/// A complete (possibly multi-line) SMTP reply.
public struct SMTPResponse: Sendable, Equatable, CustomStringConvertible {
    /// The three-digit reply code, such as 250 or 550.
    public let code: Int
    /// The RFC 3463 enhanced status code of the first line ("5.7.1"), when present.
    public let enhancedStatus: String?
    /// Each line's text after the code, separator and enhanced status.
    public let lines: [String]

    public init(code: Int, enhancedStatus: String?, lines: [String]) {
        self.code = code
        self.enhancedStatus = enhancedStatus
        self.lines = lines
    }

    /// All lines' text joined with newlines.
    public var text: String {
        self.lines.joined(separator: "\n")
    }

    /// 2xx.
    public var isPositive: Bool { (200..<300).contains(self.code) }
    /// 3xx, such as 354 after DATA.
    public var isIntermediate: Bool { (300..<400).contains(self.code) }
    /// 4xx: try again later.
    public var isTransientFailure: Bool { (400..<500).contains(self.code) }
    /// 5xx: rejected for good.
    public var isPermanentFailure: Bool { (500..<600).contains(self.code) }

    /// The Postfix queue id from a "250 2.0.0 Ok: queued as 4ABC123" reply.
    public var queueID: String? {
        guard let range = self.text.range(of: "queued as ") else { return nil }
        let rest = self.text[range.upperBound...]
        let id = rest.prefix { $0.isLetter || $0.isNumber }
        return id.isEmpty ? nil : String(id)
    }

    /// "550 5.7.1 text", with continuation lines joined by newlines.
    public var description: String {
        let status = self.enhancedStatus.map { " \($0)" } ?? ""
        return "\(self.code)\(status) \(self.text)"
    }

    /// Parses reply lines without their CRLF, as read from the wire.
    /// Returns nil when a line does not start with a three-digit code.
    public init?(rawLines: [String]) {
        guard let first = rawLines.first, let code = Self.code(of: first) else { return nil }
        var status: String?
        var texts: [String] = []
        for (index, line) in rawLines.enumerated() {
            guard Self.code(of: line) == code else { return nil }
            var text = String(line.dropFirst(4))
            if let found = Self.leadingEnhancedStatus(text, class: code / 100) {
                if index == 0 {
                    status = found
                }
                text = String(text.dropFirst(found.count).drop { $0 == " " })
            }
            texts.append(text)
        }
        self.init(code: code, enhancedStatus: status, lines: texts)
    }

    private static func code(of line: String) -> Int? {
        let digits = line.prefix(3)
        guard digits.count == 3, digits.allSatisfy(\.isASCII), let code = Int(digits) else {
            return nil
        }
        return code
    }

    private static func leadingEnhancedStatus(_ text: String, class digit: Int) -> String? {
        let token = text.prefix { $0 != " " }
        let parts = token.split(separator: ".", omittingEmptySubsequences: false)
        guard parts.count == 3, parts[0] == "\(digit)",
            parts.allSatisfy({ !$0.isEmpty && $0.count <= 3 && $0.allSatisfy(\.isNumber) })
        else {
            return nil
        }
        return String(token)
    }
}
