// The words of notifications, in English and Simplified Chinese. One function per audience
// (administrators, the sender) returns a subject and a plain-text body; webhooks reuse the
// administrators' text.

import Foundation

/// The language notifications are written in.
public enum NotificationLanguage: String, CaseIterable, Sendable {
    case english = "en"
    case chinese = "zh-CN"
}

/// Renders notification texts.
public struct NotificationTemplate: Sendable {
    public let language: NotificationLanguage

    public init(language: NotificationLanguage) {
        self.language = language
    }

    /// Subject and body for administrators.
    public func forAdministrators(_ event: NotificationEvent) -> (subject: String, body: String) {
        let zh = self.language == .chinese
        let verb = self.verb(event.action)
        let rules = event.rules.joined(separator: ", ")
        let subject =
            zh
            ? "[Sluice] 外发邮件已\(verb)：\(rules)（\(event.reference)）"
            : "[Sluice] Outbound message \(verb): \(rules) (\(event.reference))"
        var lines: [String] = []
        lines.append((zh ? "参考编号：" : "Reference: ") + event.reference)
        lines.append((zh ? "时间：" : "Time: ") + Self.timestamp(event.time))
        lines.append((zh ? "处理：" : "Action: ") + event.action)
        lines.append((zh ? "规则：" : "Rules: ") + event.rules.joined(separator: ", "))
        lines.append((zh ? "发件人：" : "Sender: ") + event.sender)
        let recipients = event.recipients.joined(separator: ", ")
        lines.append((zh ? "收件人：" : "Recipients: ") + recipients)
        if let subject = event.subject {
            lines.append((zh ? "主题：" : "Subject: ") + subject)
        }
        if let queueID = event.queueID {
            lines.append((zh ? "队列编号：" : "Queue id: ") + queueID)
        }
        if !event.findings.isEmpty {
            lines.append("")
            lines.append(zh ? "发现（已脱敏）：" : "Findings (masked):")
            for finding in event.findings {
                var line = "  \(finding.detector): \(finding.count)"
                if !finding.samples.isEmpty {
                    line += " — " + finding.samples.joined(separator: "; ")
                }
                lines.append(line)
            }
        }
        if event.action == "quarantine" {
            lines.append("")
            lines.append((zh ? "审阅：" : "Review: ") + event.reviewCommand)
        }
        return (subject, lines.joined(separator: "\n") + "\n")
    }

    /// Subject and body for the (internal) sender: what happened and whom to ask.
    public func forSender(_ event: NotificationEvent) -> (subject: String, body: String) {
        if self.language == .chinese {
            let subject = "您的邮件未能发出（参考编号 \(event.reference)）"
            let title = event.subject.map { "“\($0)”" } ?? ""
            let body = """
                您发送的邮件\(title)已被数据防泄漏策略\(self.verb(event.action))。
                命中的规则：\(event.rules.joined(separator: ", "))
                如需发送，请联系信息安全部门并提供参考编号 \(event.reference)。

                """
            return (subject, body)
        }
        let subject = "Your message was not sent (ref \(event.reference))"
        let body = """
            Your message\(event.subject.map { " \"\($0)\"" } ?? "") was \(self.verb(event.action)) \
            by the data protection policy.
            Rules: \(event.rules.joined(separator: ", "))
            If it must be sent, contact the security team and give the reference \(event.reference).

            """
        return (subject, body)
    }

    private func verb(_ action: String) -> String {
        let chinese = self.language == .chinese
        switch action {
        case "reject": return chinese ? "拒绝" : "rejected"
        case "quarantine": return chinese ? "隔离" : "quarantined"
        case "tempfail": return chinese ? "暂缓" : "deferred"
        case "discard": return chinese ? "丢弃" : "discarded"
        case "monitor": return chinese ? "记录" : "noted"
        default: return chinese ? "放行" : "accepted"
        }
    }

    static func timestamp(_ date: Date) -> String {
        let formatter = ISO8601DateFormatter()
        formatter.formatOptions = [.withInternetDateTime]
        return formatter.string(from: date)
    }
}
