// Reads smtp-sink's per-message dump files back into CapturedMessage values, restoring CRLF
// line ends so bodies compare byte for byte with what was sent.

import Foundation

// The dump format of smtp-sink 3.7 (option -d), one file per transaction, LF-terminated lines:
// "X-Client-Addr:", "X-Client-Proto:", an optional "X-Helo-Args:", one "X-Mail-Args:", one
// "X-Rcpt-Args:" per RCPT, then a three-line "Received:" header (the last smtp-sink record).
// Then the DATA content as received, except that every CR byte is dropped (so CRLF becomes
// LF and a lone CR vanishes) and so is the first dot of a line (undoing dot-stuffing). Last
// comes the LF of the terminating "." line, which reads as one extra empty line.
// smtp-sink closes the file before it answers the ".", and deletes it on RSET or hang-up.
extension CapturedMessage {
    /// Parses one dump file written by `smtp-sink -d`.
    public init(dumpFile path: String) throws {
        guard let contents = FileManager.default.contents(atPath: path) else {
            throw HarnessError(.malformedDump, subject: path, problem: "cannot read dump file")
        }
        try self.init(dump: [UInt8](contents), path: path)
    }

    /// Parses the bytes of one dump file; `path` is only used in errors.
    public init(dump: [UInt8], path: String = "<dump>") throws {
        var records: [(name: String, value: String)] = []
        var offset = 0

        // smtp-sink's own records, up to and including its three-line Received header.
        var receivedLinesLeft = -1
        while receivedLinesLeft != 0 {
            guard let end = dump[offset...].firstIndex(of: 0x0A) else {
                throw HarnessError(
                    .malformedDump, subject: path, problem: "dump ends inside smtp-sink headers")
            }
            let line = String(decoding: dump[offset..<end], as: UTF8.self)
            offset = end + 1
            if receivedLinesLeft > 0 {
                receivedLinesLeft -= 1
                continue
            }
            guard let colon = line.firstIndex(of: ":") else {
                throw HarnessError(
                    .malformedDump, subject: path, problem: "unexpected line", detail: line)
            }
            let name = String(line[..<colon])
            records.append((name, String(line[line.index(after: colon)...].drop { $0 == " " })))
            if name == "Received" {
                receivedLinesLeft = 2
            }
        }

        // The rest is the content plus the LF of the terminating "." line.
        let content = dump[offset...]
        guard content.last == 0x0A else {
            throw HarnessError(
                .malformedDump, subject: path, problem: "content is not terminated",
                detail: "the transaction may still be in progress or was interrupted")
        }
        self = try Self.make(records: records, content: content.dropLast(), path: path)
    }

    private static func make(
        records: [(name: String, value: String)], content: ArraySlice<UInt8>, path: String
    ) throws -> CapturedMessage {
        let values = { (name: String) in records.filter { $0.name == name }.map(\.value) }
        guard let mailArguments = values("X-Mail-Args").first,
            let clientAddress = values("X-Client-Addr").first
        else {
            throw HarnessError(
                .malformedDump, subject: path, problem: "missing X-Mail-Args or X-Client-Addr")
        }
        let recipientArguments = values("X-Rcpt-Args")
        let envelope = Envelope(
            sender: Self.address(in: mailArguments),
            recipients: recipientArguments.map(Self.address(in:)),
            mailArguments: mailArguments,
            recipientArguments: recipientArguments)

        var data: [UInt8] = []
        data.reserveCapacity(content.count + content.count / 32)
        for byte in content {
            if byte == 0x0A {
                data.append(0x0D)
            }
            data.append(byte)
        }
        return CapturedMessage(
            path: path, envelope: envelope, clientAddress: clientAddress,
            heloName: values("X-Helo-Args").first, data: data)
    }

    /// The address between the first "<" and ">", or the first word if there are none.
    static func address(in arguments: String) -> String {
        if let open = arguments.firstIndex(of: "<"),
            let close = arguments[open...].firstIndex(of: ">")
        {
            return String(arguments[arguments.index(after: open)..<close])
        }
        return String(arguments.prefix { $0 != " " })
    }
}
