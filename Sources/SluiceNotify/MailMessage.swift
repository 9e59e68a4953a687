// A notification as an Internet message: UTF-8 subject as an RFC 2047 encoded word, body in
// base64 so Chinese text survives any relay, and a Message-ID of its own.

import Foundation

struct MailMessage {
    var from: String
    var to: [String]
    var subject: String
    var body: String
    var date = Date()

    func bytes() -> [UInt8] {
        let formatter = DateFormatter()
        formatter.locale = Locale(identifier: "en_US_POSIX")
        formatter.dateFormat = "EEE, dd MMM yyyy HH:mm:ss Z"
        let domain = self.from.split(separator: "@").last.map(String.init) ?? "localhost"
        let encodedBody = Data(self.body.utf8).base64EncodedString(
            options: [.lineLength76Characters, .endLineWithCarriageReturn, .endLineWithLineFeed])
        let lines = [
            "From: Sluice <\(self.from)>",
            "To: " + self.to.map { "<\($0)>" }.joined(separator: ", "),
            "Subject: " + Self.encodedWord(self.subject),
            "Date: " + formatter.string(from: self.date),
            "Message-ID: <\(UUID().uuidString.lowercased())@\(domain)>",
            "Auto-Submitted: auto-generated",
            "MIME-Version: 1.0",
            "Content-Type: text/plain; charset=utf-8",
            "Content-Transfer-Encoding: base64",
            "",
            encodedBody,
        ]
        return Array((lines.joined(separator: "\r\n") + "\r\n").utf8)
    }

    /// ASCII text as it is; anything else as `=?UTF-8?B?…?=` words of at most 75 characters.
    static func encodedWord(_ text: String) -> String {
        if text.utf8.allSatisfy({ $0 >= 0x20 && $0 < 0x7F }) {
            return text
        }
        var words: [String] = []
        var chunk = ""
        for character in text {
            if (chunk + String(character)).utf8.count > 45 {
                words.append(chunk)
                chunk = ""
            }
            chunk.append(character)
        }
        words.append(chunk)
        return words.map { "=?UTF-8?B?\(Data($0.utf8).base64EncodedString())?=" }
            .joined(separator: "\r\n ")
    }
}
