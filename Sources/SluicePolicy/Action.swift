// The actions a decision can take, from letting a message pass to refusing it. When several
// apply, the most severe wins.

/// What happens to a message.
public enum Action: String, CaseIterable, Sendable, Comparable, Codable {
    /// Deliver it.
    case accept
    /// Throw it away silently, telling the client it was accepted.
    case discard
    /// Refuse it for now with a 4xx reply.
    case tempfail
    /// Refuse it with a 5xx reply.
    case reject

    /// Higher is more severe: reject > tempfail > discard > accept.
    public var severity: Int {
        switch self {
        case .accept: return 0
        case .discard: return 1
        case .tempfail: return 2
        case .reject: return 3
        }
    }

    public static func < (lhs: Action, rhs: Action) -> Bool {
        lhs.severity < rhs.severity
    }
}
