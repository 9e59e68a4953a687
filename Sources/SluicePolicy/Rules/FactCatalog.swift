// The facts a rule may name, with their types, in one readable table. A rule that names a
// fact not listed here, or compares a fact with a value of the wrong kind, is refused when
// the configuration loads, never at mail time.

/// What kind of value a fact has.
public enum FactKind: Equatable, Sendable {
    /// A single number (counts, sizes).
    case number
    /// One number per attachment; a comparison holds when it holds for any of them.
    case numbers
    case bool
    /// A single piece of text, compared without regard to case.
    case text
    /// Several pieces of text (one per attachment or recipient); `==` and `in` hold when any
    /// of them matches.
    case texts
    /// An IP address, compared with `in (NETWORK, …)`.
    case address
}

/// The facts rules can use, and how to recognise detector facts.
public struct FactCatalog: Sendable {
    /// Facts every configuration has.
    public static let fixed: [String: FactKind] = [
        "distinct_people": .number,
        "attachment.group": .texts,
        "attachment.extension": .texts,
        "attachment.type": .texts,
        "attachment.name": .texts,
        "attachment.encrypted": .bool,
        "attachment.unscannable": .bool,
        "attachment.type_mismatch": .bool,
        "attachment.size": .numbers,
        "attachment.count": .number,
        "message.size": .number,
        "message.incomplete": .bool,
        "message.encrypted": .bool,
        "sender": .text,
        "sender.domain": .text,
        "authenticated": .bool,
        "client": .address,
        "recipients.count": .number,
        "recipients.external": .bool,
        "recipients.external.count": .number,
        "recipient": .texts,
        "recipient.domain": .texts,
    ]

    /// Detector ids (`keyword:confidential`, `cn-resident-id`) known to this configuration.
    public var detectors: Set<String>
    /// Further facts, such as volume counters, registered by other parts of Sluice.
    public var extra: [String: FactKind]

    public init(detectors: Set<String>, extra: [String: FactKind] = [:]) {
        self.detectors = detectors
        self.extra = extra
    }

    /// The kind of `name`, or nil when no such fact exists. A detector id is its count;
    /// `DETECTOR.confidence` its confidence from 0 to 1.
    public func kind(of name: String) -> FactKind? {
        if let kind = Self.fixed[name] ?? self.extra[name] {
            return kind
        }
        if self.detectors.contains(name) {
            return .number
        }
        if name.hasSuffix(".confidence"),
            self.detectors.contains(String(name.dropLast(".confidence".count)))
        {
            return .number
        }
        return nil
    }

    /// A few known names close to `name`, for "did you mean" hints.
    public func suggestions(for name: String) -> [String] {
        let all = Array(Self.fixed.keys) + Array(self.extra.keys) + Array(self.detectors)
        return all.filter { Self.distance($0, name) <= 2 }.sorted()
    }

    private static func distance(_ left: String, _ right: String) -> Int {
        let a = Array(left)
        let b = Array(right)
        var previous = Array(0...b.count)
        for (i, x) in a.enumerated() {
            var current = [i + 1]
            for (j, y) in b.enumerated() {
                current.append(
                    min(previous[j + 1] + 1, current[j] + 1, previous[j] + (x == y ? 0 : 1)))
            }
            previous = current
        }
        return previous[b.count]
    }
}
