// Turns a scan report and an envelope into a decision. For now the policy has one rule,
// `config-keywords`: any term of `[detect] keywords` in the message triggers
// `[policy] keyword_action`.

import SluiceScan

/// The policy in force, built once per configuration load.
public struct Policy: Sendable {
    /// The name under which the keyword rule reports itself.
    public static let keywordRule = "config-keywords"

    public let settings: PolicySettings

    public init(settings: PolicySettings) {
        self.settings = settings
    }

    /// Decides what happens to a message.
    public func decide(_ report: ScanReport, envelope: Envelope) -> Decision {
        var decision = Decision(action: .accept)
        if report.count(of: MessageScanner.configKeywordDetector) > 0 {
            decision.action = self.settings.keywordAction
            decision.rules.append(Self.keywordRule)
        }

        switch decision.action {
        case .reject:
            decision.reply = self.settings.rejectReply.referencing(decision.reference)
        case .tempfail:
            decision.reply = self.settings.tempfailReply.referencing(decision.reference)
        case .accept, .discard:
            break
        }
        if self.settings.addHeader && decision.action == .accept {
            decision.addedHeaders.append(self.header(for: decision))
        }
        return decision
    }

    private func header(for decision: Decision) -> HeaderField {
        var value = "action=\(decision.action.rawValue)"
        if !decision.rules.isEmpty {
            value += " rules=" + decision.rules.joined(separator: ",")
        }
        value += " ref=\(decision.reference)"
        return HeaderField(name: self.settings.headerName, value: value)
    }
}
