// The JSON text of an audit record, written directly: keys in sorted order, dates in ISO 8601
// (UTC, whole seconds), absent values left out. It reads like what JSONEncoder makes with
// sorted keys, at a fraction of the cost, which matters once per message.

import Foundation

/// Writes one audit entry as a JSON object body (no braces), with `prev` among its keys.
struct AuditJSON {
    private var bytes: [UInt8] = []
    private var first = true

    /// The sorted-key members of `entry` plus `prev`, without the enclosing braces.
    static func body(of entry: AuditEntry, previous: String) -> [UInt8] {
        var writer = AuditJSON()
        writer.bytes.reserveCapacity(512)
        writer.string("action", entry.action)
        writer.array("attachments", entry.attachments) { writer, attachment in
            writer.object {
                $0.string("name", attachment.name)
                $0.integer("size", attachment.size)
                $0.string("type", attachment.type)
            }
        }
        writer.string("comment", entry.comment)
        writer.string("event", entry.event)
        writer.array("findings", entry.findings) { writer, finding in
            writer.object {
                $0.integer("count", finding.count)
                $0.string("detector", finding.detector)
                $0.array("samples", finding.samples) { $0.value($1) }
            }
        }
        writer.string("message_id", entry.messageID)
        writer.string("prev", previous)
        writer.string("queue_id", entry.queueID)
        writer.array("recipients", entry.recipients) { writer, recipient in
            writer.object {
                $0.string("address", recipient.address)
                $0.boolean("external", recipient.external)
            }
        }
        writer.string("ref", entry.reference)
        writer.array("rules", entry.rules) { $0.value($1) }
        if let milliseconds = entry.scanMilliseconds, milliseconds.isFinite {
            writer.key("scan_ms")
            writer.append(
                milliseconds == milliseconds.rounded() && abs(milliseconds) < 1e15
                    ? String(Int(milliseconds)) : String(milliseconds))
        }
        writer.string("sender", entry.sender)
        if let size = entry.size {
            writer.integer("size", size)
        }
        writer.string("time", Self.timestamp(entry.time))
        writer.string("user", entry.user)
        writer.string("would_have", entry.wouldHave)
        return writer.bytes
    }

    /// `2026-12-03T20:33:00Z`.
    static func timestamp(_ date: Date) -> String {
        var seconds = time_t(date.timeIntervalSince1970.rounded(.down))
        var parts = tm()
        gmtime_r(&seconds, &parts)
        func two(_ value: Int32) -> String {
            value < 10 ? "0\(value)" : "\(value)"
        }
        return "\(parts.tm_year + 1900)-\(two(parts.tm_mon + 1))-\(two(parts.tm_mday))T"
            + "\(two(parts.tm_hour)):\(two(parts.tm_min)):\(two(parts.tm_sec))Z"
    }

    private mutating func key(_ name: String) {
        if !self.first {
            self.bytes.append(0x2C)
        }
        self.first = false
        self.value(name)
        self.bytes.append(0x3A)
    }

    private mutating func string(_ name: String, _ value: String?) {
        guard let value else {
            return
        }
        self.key(name)
        self.value(value)
    }

    private mutating func integer(_ name: String, _ value: Int) {
        self.key(name)
        self.append(String(value))
    }

    private mutating func boolean(_ name: String, _ value: Bool) {
        self.key(name)
        self.append(value ? "true" : "false")
    }

    private mutating func array<Element>(
        _ name: String, _ elements: [Element], _ body: (inout AuditJSON, Element) -> Void
    ) {
        self.key(name)
        self.bytes.append(0x5B)
        for (index, element) in elements.enumerated() {
            if index > 0 {
                self.bytes.append(0x2C)
            }
            body(&self, element)
        }
        self.bytes.append(0x5D)
    }

    private mutating func object(_ body: (inout AuditJSON) -> Void) {
        var inner = AuditJSON()
        body(&inner)
        self.bytes.append(0x7B)
        self.bytes += inner.bytes
        self.bytes.append(0x7D)
    }

    private mutating func append(_ text: String) {
        self.bytes += text.utf8
    }

    /// A JSON string: quotes, backslashes and control characters escaped, the rest as UTF-8.
    private mutating func value(_ text: String) {
        self.bytes.append(0x22)
        for byte in text.utf8 {
            switch byte {
            case 0x22: self.bytes += [0x5C, 0x22]
            case 0x5C: self.bytes += [0x5C, 0x5C]
            case 0x0A: self.bytes += [0x5C, 0x6E]
            case 0x0D: self.bytes += [0x5C, 0x72]
            case 0x09: self.bytes += [0x5C, 0x74]
            case 0x00..<0x20:
                let digits = Array("0123456789abcdef".utf8)
                self.bytes += [
                    0x5C, 0x75, 0x30, 0x30, digits[Int(byte >> 4)], digits[Int(byte & 15)],
                ]
            default: self.bytes.append(byte)
            }
        }
        self.bytes.append(0x22)
    }
}
