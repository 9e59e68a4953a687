// Checks audit files: every record's own hash must match its content, and every `prev` the
// hash of the record before it. Reports the first record where either fails, so an
// administrator knows where tampering (or damage) begins.

import Foundation

/// The outcome of checking one or more audit files in order.
public struct AuditVerification: Equatable, Sendable {
    /// Records checked and found intact.
    public var intact: Int
    /// The first broken record, if any.
    public var broken: BrokenRecord?

    /// Where and why the chain breaks.
    public struct BrokenRecord: Equatable, Sendable, CustomStringConvertible {
        public var file: String
        public var line: Int
        public var reference: String?
        public var reason: String

        public var description: String {
            "\(self.file):\(self.line): " + (self.reference.map { "ref \($0): " } ?? "")
                + self.reason
        }
    }
}

/// Verification of chained audit files.
public enum AuditChain {
    /// Checks `paths` as one chain, in the order given (oldest first). The first record's
    /// `prev` is trusted unless it is the chain origin.
    public static func verify(paths: [String]) throws(StoreError) -> AuditVerification {
        var result = AuditVerification(intact: 0, broken: nil)
        var previous: String?
        for path in paths {
            guard let data = FileManager.default.contents(atPath: path) else {
                throw StoreError("audit verify", "cannot read \(path)")
            }
            var lineNumber = 0
            for line in data.split(separator: 0x0A, omittingEmptySubsequences: false) {
                lineNumber += 1
                if line.isEmpty {
                    continue
                }
                let check = self.check(Array(line), previous: previous)
                if let reason = check.reason {
                    result.broken = .init(
                        file: path, line: lineNumber, reference: check.reference, reason: reason)
                    return result
                }
                previous = check.hash
                result.intact += 1
            }
        }
        return result
    }

    /// A record's own hash, its `prev` and its reference, when the line is well formed.
    struct ParsedRecord {
        var hash: String
        var computed: String
        var previous: String?
        var reference: String?
    }

    static func parse(_ line: [UInt8]) -> ParsedRecord? {
        let prefix = Array("{\"hash\":\"".utf8)
        guard line.count > prefix.count + 66, line.starts(with: prefix), line.last == 0x7D,
            line[prefix.count + 64] == 0x22, line[prefix.count + 65] == 0x2C
        else {
            return nil
        }
        let stated = String(decoding: line[prefix.count..<(prefix.count + 64)], as: UTF8.self)
        let body = line[(prefix.count + 66)..<(line.count - 1)]
        let object = (try? JSONSerialization.jsonObject(with: Data(line))) as? [String: Any]
        return ParsedRecord(
            hash: stated, computed: SHA256.hex(body), previous: object?["prev"] as? String,
            reference: object?["ref"] as? String)
    }

    private static func check(
        _ line: [UInt8], previous: String?
    ) -> (hash: String?, reference: String?, reason: String?) {
        guard let record = self.parse(line), let stated = record.previous else {
            return (nil, nil, "not an audit record")
        }
        guard record.hash == record.computed else {
            return (nil, record.reference, "content does not match its hash (record edited)")
        }
        if let previous, stated != previous {
            return (
                nil, record.reference,
                "prev does not match the record before it (records removed or inserted)"
            )
        }
        return (record.hash, record.reference, nil)
    }
}
