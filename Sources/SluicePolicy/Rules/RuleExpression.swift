// The parsed form of a rule condition. Values are checked against the fact's kind when the
// rule is parsed, so evaluation never meets a type error.

/// A literal a fact is compared with.
public enum RuleValue: Equatable, Sendable {
    case number(Double)
    case text(String)
    case bool(Bool)
    case network(IPNetwork)
}

/// A comparison operator.
public enum RuleComparison: String, Sendable {
    case less = "<"
    case lessOrEqual = "<="
    case greater = ">"
    case greaterOrEqual = ">="
    case equal = "=="
    case notEqual = "!="
}

/// A rule condition.
public indirect enum RuleExpression: Equatable, Sendable {
    case constant(Bool)
    /// A boolean fact on its own: `attachment.encrypted`.
    case truth(String)
    case compare(String, RuleComparison, RuleValue)
    /// `fact in (v1, v2, …)`.
    case member(String, [RuleValue])
    /// `sender in group:NAME`.
    case inGroup(String, String)
    case not(RuleExpression)
    case and(RuleExpression, RuleExpression)
    case or(RuleExpression, RuleExpression)

    /// Every fact the expression reads.
    public var facts: Set<String> {
        switch self {
        case .constant: return []
        case .truth(let fact), .compare(let fact, _, _), .member(let fact, _),
            .inGroup(let fact, _):
            return [fact]
        case .not(let inner): return inner.facts
        case .and(let left, let right), .or(let left, let right):
            return left.facts.union(right.facts)
        }
    }
}
