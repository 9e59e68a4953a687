// The actions a decision can take, from letting a message pass to refusing it. When several
// apply, the most severe wins.

/// What happens to a message.
public enum Action: String, CaseIterable, Sendable, Comparable, Codable {
    /// Deliver it.
    case accept
    /// Deliver it, but log and audit what the rule found (for rolling out a rule).
    case monitor
    /// Throw it away silently, telling the client it was accepted.
    case discard
    /// Hold it for review, telling the client it was accepted.
    case quarantine
    /// Refuse it for now with a 4xx reply.
    case tempfail
    /// Refuse it with a 5xx reply.
    case reject

    /// Higher is more severe: reject > tempfail > quarantine > discard > monitor > accept.
    public var severity: Int {
        switch self {
        case .accept: return 0
        case .monitor: return 1
        case .discard: return 2
        case .quarantine: return 3
        case .tempfail: return 4
        case .reject: return 5
        }
    }

    /// Whether the message is kept from its recipients.
    public var blocks: Bool {
        self.severity >= Action.discard.severity
    }

    public static func < (lhs: Action, rhs: Action) -> Bool {
        lhs.severity < rhs.severity
    }
}
