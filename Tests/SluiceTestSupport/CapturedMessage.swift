// A message as smtp-sink received it, parsed back from its dump file: the envelope smtp-sink
// recorded and the message bytes in wire form (CRLF lines, dot-stuffing undone), so a test can
// compare them byte for byte with what it submitted.

import Foundation

/// One mail transaction captured by `SMTPSink`.
public struct CapturedMessage: Sendable, Equatable {
    /// The envelope as smtp-sink recorded it.
    public struct Envelope: Sendable, Equatable {
        /// The address inside `MAIL FROM:<...>`; empty for the null sender.
        public let sender: String
        /// The addresses inside each `RCPT TO:<...>`, in the order sent.
        public let recipients: [String]
        /// Everything after `MAIL FROM:`, such as "<a@b.test> SIZE=312 BODY=8BITMIME".
        public let mailArguments: String
        /// Everything after each `RCPT TO:`, such as "<c@d.test> ORCPT=rfc822;c@d.test".
        public let recipientArguments: [String]
    }

    /// The dump file this was read from.
    public let path: String
    public let envelope: Envelope
    /// The client's IP address as smtp-sink saw it.
    public let clientAddress: String
    /// The EHLO/HELO argument of the sending client, if it sent one.
    public let heloName: String?
    /// The message as received after DATA: CRLF line ends, without dot-stuffing and without
    /// the terminating "." line. CR bytes not followed by LF are lost (smtp-sink drops them).
    public let data: [UInt8]

    /// The header block including its final CRLF, without the empty separator line.
    public var header: [UInt8] {
        guard let split = Self.headerEnd(self.data) else { return self.data }
        return Array(self.data[0..<(split + 2)])
    }

    /// Everything after the empty line that ends the header block.
    public var body: [UInt8] {
        guard let split = Self.headerEnd(self.data) else { return [] }
        return Array(self.data[(split + 4)...])
    }

    /// The header fields in order, names as written and values unfolded.
    public var headerFields: [(name: String, value: String)] {
        let text = String(decoding: self.header, as: UTF8.self)
        var fields: [(name: String, value: String)] = []
        for line in text.components(separatedBy: "\r\n") where !line.isEmpty {
            if line.first == " " || line.first == "\t", let last = fields.popLast() {
                fields.append((last.name, last.value + " " + line.drop { $0 == " " || $0 == "\t" }))
            } else if let colon = line.firstIndex(of: ":") {
                let value = line[line.index(after: colon)...].drop { $0 == " " }
                fields.append((String(line[..<colon]), String(value)))
            }
        }
        return fields
    }

    /// The values of every header field called `name` (case-insensitive).
    public func headerValues(_ name: String) -> [String] {
        self.headerFields
            .filter { $0.name.caseInsensitiveCompare(name) == .orderedSame }
            .map(\.value)
    }

    /// The first value of header field `name`, if any.
    public func headerValue(_ name: String) -> String? {
        self.headerValues(name).first
    }

    /// Index of the CRLF that ends the last header line (the first CRLFCRLF).
    static func headerEnd(_ data: [UInt8]) -> Int? {
        guard data.count >= 4 else { return nil }
        for index in 0...(data.count - 4)
        where data[index] == 0x0D && data[index + 1] == 0x0A && data[index + 2] == 0x0D
            && data[index + 3] == 0x0A
        {
            return index
        }
        return nil
    }
}
