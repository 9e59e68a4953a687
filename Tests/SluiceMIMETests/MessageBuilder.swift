// Helpers that build test messages in code, so fixtures stay readable next to the assertions
// that use them. Messages are assembled line by line with CR LF or bare LF line ends.

import Foundation

@testable import SluiceMIME

/// Builds a message from lines and raw byte chunks.
struct MessageBuilder {
    var bytes: [UInt8] = []
    var lineEnd: [UInt8] = [0x0D, 0x0A]

    init(lineEnd: String = "\r\n") {
        self.lineEnd = Array(lineEnd.utf8)
    }

    mutating func line(_ text: String) {
        self.bytes += Array(text.utf8) + self.lineEnd
    }

    mutating func lines(_ texts: [String]) {
        for text in texts { self.line(text) }
    }

    mutating func raw(_ chunk: [UInt8]) {
        self.bytes += chunk
    }

    func parsed(_ limits: MIMELimits = MIMELimits()) -> MIMEMessage {
        MIMEMessage(parsing: self.bytes, limits: limits)
    }
}

/// A message from a multi-line string with `\n` line ends turned into CR LF.
func crlf(_ text: String) -> [UInt8] {
    Array(text.replacingOccurrences(of: "\n", with: "\r\n").utf8)
}

func parse(_ text: String, limits: MIMELimits = MIMELimits()) -> MIMEMessage {
    MIMEMessage(parsing: crlf(text), limits: limits)
}

/// Bytes of `text` in `charset` through iconv, for building fixtures in legacy charsets.
func encode(_ text: String, as charset: String) -> [UInt8] {
    guard let data = text.data(using: .utf8) else { return [] }
    let process = Process()
    process.executableURL = URL(fileURLWithPath: "/usr/bin/iconv")
    process.arguments = ["-f", "UTF-8", "-t", charset]
    let input = Pipe()
    let output = Pipe()
    process.standardInput = input
    process.standardOutput = output
    do {
        try process.run()
    } catch {
        return []
    }
    input.fileHandleForWriting.write(data)
    try? input.fileHandleForWriting.close()
    let result = output.fileHandleForReading.readDataToEndOfFile()
    process.waitUntilExit()
    return Array(result)
}

func base64(_ bytes: [UInt8], lineLength: Int = 76) -> String {
    let encoded = Data(bytes).base64EncodedString()
    var lines: [Substring] = []
    var index = encoded.startIndex
    while index < encoded.endIndex {
        let end =
            encoded.index(index, offsetBy: lineLength, limitedBy: encoded.endIndex)
            ?? encoded.endIndex
        lines.append(encoded[index..<end])
        index = end
    }
    return lines.joined(separator: "\n")
}

extension MIMEMessage {
    /// All scannable text joined, for "is the keyword anywhere" checks.
    var allText: String {
        self.texts.map(\.text).joined(separator: "\n")
    }

    /// The text from `source`, if any.
    func text(from source: TextSource) -> String? {
        self.texts.first { $0.source == source }?.text
    }
}
