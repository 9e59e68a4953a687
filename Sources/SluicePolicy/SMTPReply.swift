// An SMTP reply a rule gives the client: basic code, enhanced status code (RFC 3463) and
// text. Replies are checked when the configuration loads: a reject must be 5xx, a tempfail
// 4xx, and the enhanced code's class must agree with the basic code.

/// An SMTP reply such as `550 5.7.1 Message refused`.
public struct SMTPReply: Equatable, Sendable, CustomStringConvertible {
    public var code: Int
    public var enhancedCode: String
    public var text: String

    public init(code: Int, enhancedCode: String, text: String) {
        self.code = code
        self.enhancedCode = enhancedCode
        self.text = text
    }

    /// Parses `CODE X.Y.Z TEXT`; `permanent` asks for a 5xx code, otherwise a 4xx one.
    public init?(_ text: String, permanent: Bool) {
        let words = text.split(separator: " ", maxSplits: 2, omittingEmptySubsequences: true)
        guard words.count >= 2, let code = Int(words[0]) else {
            return nil
        }
        let classDigit = permanent ? 5 : 4
        guard code / 100 == classDigit, code % 100 < 60 else {
            return nil
        }
        let enhanced = words[1].split(separator: ".", omittingEmptySubsequences: false)
        guard enhanced.count == 3, Int(enhanced[0]) == classDigit,
            enhanced.dropFirst().allSatisfy({ Int($0).map { (0...999).contains($0) } ?? false })
        else {
            return nil
        }
        let message = words.count > 2 ? String(words[2]) : ""
        guard !message.contains(where: { $0 == "\r" || $0 == "\n" }) else {
            return nil
        }
        self.init(code: code, enhancedCode: String(words[1]), text: message)
    }

    /// The same reply with ` (ref ID)` appended to the text.
    public func referencing(_ reference: ReferenceID) -> SMTPReply {
        let suffix = "(ref \(reference))"
        return SMTPReply(
            code: self.code, enhancedCode: self.enhancedCode,
            text: self.text.isEmpty ? suffix : "\(self.text) \(suffix)")
    }

    public var description: String {
        "\(self.code) \(self.enhancedCode) \(self.text)"
    }
}
