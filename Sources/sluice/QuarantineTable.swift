// How `sluice quarantine` shows records on a terminal: the list as aligned columns that fit
// 100 columns (wide CJK characters counted as two), one record in detail, and the stats.
// Text from messages is made safe first: control characters could drive the terminal.

import Foundation
import SluiceStore

enum QuarantineTable {
    static let width = 100

    /// Column titles and widths; the subject takes what is left.
    static let columns: [(title: String, width: Int)] = [
        ("ID", 8), ("HELD (UTC)", 11), ("STATE", 9), ("SENDER", 22), ("TO", 3), ("RULES", 14),
    ]

    static func render(_ records: [QuarantineRecord]) -> String {
        let fixed = self.columns.reduce(0) { $0 + $1.width + 2 }
        let subjectWidth = self.width - fixed
        var lines = [self.row(self.columns.map(\.title) + ["SUBJECT"], subjectWidth)]
        for record in records {
            let input = record.input
            let cells = [
                record.id, self.time(input.time, format: "MM-dd HH:mm"), record.state.rawValue,
                input.sender.isEmpty ? "<>" : input.sender, String(input.recipients.count),
                input.rules.joined(separator: ","), input.subject,
            ]
            lines.append(self.row(cells, subjectWidth))
        }
        if records.isEmpty {
            lines.append("(no messages)")
        }
        return lines.joined(separator: "\n")
    }

    static func detail(_ record: QuarantineRecord) -> String {
        let input = record.input
        var lines: [(String, String)] = [
            ("ID", record.id), ("State", record.state.rawValue),
            ("Held", self.time(input.time, format: "yyyy-MM-dd HH:mm:ss 'UTC'")),
            ("Queue ID", input.queueID ?? "-"), ("Message-ID", input.messageID ?? "-"),
            ("From", input.sender.isEmpty ? "<>" : input.sender),
        ]
        for (index, recipient) in input.recipients.enumerated() {
            lines.append(
                (
                    index == 0 ? "To" : "",
                    recipient.address + (recipient.external ? " (external)" : "")
                ))
        }
        lines.append(("Subject", input.subject))
        lines.append(("Size", "\(input.size) bytes"))
        lines.append(("Rules", input.rules.joined(separator: ", ")))
        for (index, finding) in input.findings.enumerated() {
            let samples =
                finding.samples.isEmpty ? "" : ": " + finding.samples.joined(separator: ", ")
            lines.append(
                (index == 0 ? "Findings" : "", "\(finding.detector) x\(finding.count)\(samples)"))
        }
        for (index, attachment) in input.attachments.enumerated() {
            lines.append(
                (index == 0 ? "Attachments" : "", self.attachment(attachment)))
        }
        lines.append(("Encrypted", record.encrypted ? "yes" : "no"))
        if let error = record.lastError {
            lines.append(("Last error", error))
        }
        var text = lines.map { label, value in
            let title = label.isEmpty ? "" : label + ":"
            return title.padding(toLength: 13, withPad: " ", startingAt: 0) + self.safe(value)
        }
        if !record.history.isEmpty {
            text.append("History:")
            for entry in record.history {
                var line = "  " + self.time(entry.time, format: "yyyy-MM-dd HH:mm") + "  "
                line += self.safe(entry.user) + "  " + entry.action
                if let comment = entry.comment {
                    line += "  \"" + self.safe(comment) + "\""
                }
                if let detail = entry.detail {
                    line += "  (" + self.safe(detail) + ")"
                }
                text.append(line)
            }
        }
        return text.joined(separator: "\n")
    }

    static func stats(_ stats: QuarantineStats) -> String {
        var text: [String] = []
        for (title, counts) in [
            ("By state", stats.byState), ("By rule", stats.byRule), ("By day (UTC)", stats.byDay),
        ] {
            text.append(title + ":")
            if counts.isEmpty {
                text.append("  (none)")
            }
            for count in counts {
                let name = self.fit(self.safe(count.name), 30)
                text.append(
                    "  " + name + String(repeating: " ", count: 31 - self.displayWidth(name))
                        + "\(count.count)")
            }
        }
        return text.joined(separator: "\n")
    }

    /// Attachments nested in archives are named `outer.zip/inner.docx`: shown indented.
    static func attachment(_ attachment: AuditAttachment) -> String {
        let depth = attachment.name.split(separator: "/").count - 1
        let name = attachment.name.split(separator: "/").last.map(String.init) ?? attachment.name
        return String(repeating: "  ", count: max(depth, 0)) + (depth > 0 ? "└ " : "")
            + "\(name) (\(attachment.type), \(attachment.size) bytes)"
    }

    private static func row(_ cells: [String], _ subjectWidth: Int) -> String {
        var line = ""
        for (index, cell) in cells.enumerated() {
            let width = index < self.columns.count ? self.columns[index].width : subjectWidth
            let text = self.fit(self.safe(cell), width)
            line += text
            if index < self.columns.count {
                line += String(repeating: " ", count: width - self.displayWidth(text) + 2)
            }
        }
        return line
    }

    private static func time(_ date: Date, format: String) -> String {
        let formatter = DateFormatter()
        formatter.locale = Locale(identifier: "en_US_POSIX")
        formatter.timeZone = TimeZone(identifier: "UTC")
        formatter.dateFormat = format
        return formatter.string(from: date)
    }

    /// Control characters (which could move the cursor or recolour the terminal) and
    /// bidirectional overrides (which could make a sender read as another) become `?`.
    static func safe(_ text: String) -> String {
        String(
            String.UnicodeScalarView(
                text.unicodeScalars.map { scalar in
                    let value = scalar.value
                    let unsafe =
                        value < 0x20 || (0x7F...0x9F).contains(value)
                        || (0x202A...0x202E).contains(value) || (0x2066...0x2069).contains(value)
                    return unsafe ? "?" : scalar
                }))
    }

    /// `text` cut to `width` display columns, ending in `…` when cut.
    static func fit(_ text: String, _ width: Int) -> String {
        guard self.displayWidth(text) > width else {
            return text
        }
        var result = ""
        var used = 0
        for character in text {
            let next = self.displayWidth(String(character))
            if used + next > width - 1 {
                break
            }
            result.append(character)
            used += next
        }
        return result + "…"
    }

    /// Terminal columns: East Asian wide and fullwidth characters take two.
    static func displayWidth(_ text: String) -> Int {
        text.unicodeScalars.reduce(0) { total, scalar in
            let value = scalar.value
            if scalar.properties.generalCategory == .nonspacingMark || value == 0x200B {
                return total
            }
            let wide =
                (0x1100...0x115F).contains(value) || (0x2E80...0xA4CF).contains(value)
                || (0xAC00...0xD7A3).contains(value) || (0xF900...0xFAFF).contains(value)
                || (0xFE30...0xFE4F).contains(value) || (0xFF00...0xFF60).contains(value)
                || (0xFFE0...0xFFE6).contains(value) || (0x1F300...0x1F64F).contains(value)
                || (0x1F900...0x1F9FF).contains(value) || (0x20000...0x3FFFD).contains(value)
            return total + (wide ? 2 : 1)
        }
    }
}
