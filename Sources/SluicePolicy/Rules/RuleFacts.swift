// The values of facts for one message, and the evaluation of rule conditions over them.
// Facts with several values (one per attachment or recipient) make a comparison true when
// any value satisfies it; `!=` is the negation of `==`, so it holds when none is equal.

/// The value of one fact for one message.
public enum FactValue: Equatable, Sendable {
    case number(Double)
    case numbers([Double])
    case bool(Bool)
    case text(String)
    case texts([String])
    /// The client's address; nil when the connection was not over IP.
    case address(String?)
}

/// Where rule evaluation gets fact values and sender groups from.
public protocol RuleFacts {
    /// The value of `fact`, which the catalog guarantees exists.
    func value(of fact: String) -> FactValue
    /// Whether `address` belongs to the sender group `group`.
    func isMember(_ address: String, of group: String) -> Bool
}

extension RuleExpression {
    /// Evaluates the condition against one message's facts.
    public func evaluate(_ facts: some RuleFacts) -> Bool {
        switch self {
        case .constant(let value):
            return value
        case .truth(let fact):
            return facts.value(of: fact) == .bool(true)
        case .compare(let fact, let comparison, let value):
            return Self.compare(facts.value(of: fact), comparison, value)
        case .member(let fact, let values):
            let current = facts.value(of: fact)
            return values.contains { Self.compare(current, .equal, $0) }
        case .inGroup(let fact, let group):
            return Self.texts(facts.value(of: fact)).contains {
                facts.isMember($0, of: group)
            }
        case .not(let inner):
            return !inner.evaluate(facts)
        case .and(let left, let right):
            return left.evaluate(facts) && right.evaluate(facts)
        case .or(let left, let right):
            return left.evaluate(facts) || right.evaluate(facts)
        }
    }

    private static func texts(_ value: FactValue) -> [String] {
        switch value {
        case .text(let text): return [text]
        case .texts(let texts): return texts
        default: return []
        }
    }

    private static func compare(
        _ current: FactValue, _ comparison: RuleComparison, _ value: RuleValue
    ) -> Bool {
        if comparison == .notEqual {
            return !self.compare(current, .equal, value)
        }
        switch (current, value) {
        case (.number(let left), .number(let right)):
            return self.order(left, comparison, right)
        case (.numbers(let lefts), .number(let right)):
            return lefts.contains { self.order($0, comparison, right) }
        case (.bool(let left), .bool(let right)):
            return left == right
        case (.text(let left), .text(let right)):
            return left.lowercased() == right.lowercased()
        case (.texts(let lefts), .text(let right)):
            let wanted = right.lowercased()
            return lefts.contains { $0.lowercased() == wanted }
        case (.address(let address), .network(let network)):
            return address.map(network.contains) ?? false
        default:
            return false
        }
    }

    private static func order(
        _ left: Double, _ comparison: RuleComparison, _ right: Double
    )
        -> Bool
    {
        switch comparison {
        case .less: return left < right
        case .lessOrEqual: return left <= right
        case .greater: return left > right
        case .greaterOrEqual: return left >= right
        case .equal: return left == right
        case .notEqual: return left != right
        }
    }
}
