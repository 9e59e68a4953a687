// Turns a scan report and an envelope into a decision. Every rule is evaluated; the
// decision takes the most severe action among the rules that fired and reports them all.
// In monitor mode the decision is worked out the same way but nothing is blocked.

import SluiceScan

/// A rule with its conditions compiled.
public struct CompiledRule: Sendable {
    public let definition: RuleDefinition
    public let when: RuleExpression?
    public let unless: RuleExpression?
    /// For a rule on sending volume, how long one alert per sender covers: the longest
    /// window its condition reads. Nil for rules on content. Worked out once, at load.
    public let alertWindow: Double?

    public init(definition: RuleDefinition, when: RuleExpression?, unless: RuleExpression?) {
        self.definition = definition
        self.when = when
        self.unless = unless
        self.alertWindow = Self.alertWindow(of: when)
    }

    private static func alertWindow(of when: RuleExpression?) -> Double? {
        let facts = (when?.facts ?? []).filter {
            $0.hasPrefix("sender.") && $0 != "sender.domain"
        }
        guard !facts.isEmpty else {
            return nil
        }
        if facts.contains(where: { $0.hasSuffix("_last_day") }) {
            return 86_400
        }
        if facts.contains(where: { $0.hasSuffix("_last_hour") || $0 == "sender.rate_anomaly" }) {
            return 3600
        }
        return 60
    }

    /// Whether the rule fires for a message with these facts.
    public func fires(_ facts: MessageFacts) -> Bool {
        guard let when = self.when, when.evaluate(facts) else {
            return false
        }
        return !(self.unless?.evaluate(facts) ?? false)
    }
}

/// The policy in force, built once per configuration load.
public struct Policy: Sendable {
    /// The name under which the `[detect] keywords` rule reports itself.
    public static let keywordRule = "config-keywords"

    public let settings: PolicySettings
    public let rules: [CompiledRule]
    public let scope: Scope
    public let groups: [String: SenderGroup]

    /// Compiles the rules of `configuration` against the facts `catalog` knows. Throws for
    /// the first condition that does not parse or names an unknown fact, with its column.
    public init(configuration: Configuration, catalog: FactCatalog) throws(ConfigError) {
        self.settings = configuration.policy
        self.scope = configuration.scope
        self.groups = configuration.groups
        let file = configuration.path ?? "(defaults)"
        let groupNames = Set(configuration.groups.keys)
        var rules: [CompiledRule] = []
        for definition in configuration.rules {
            rules.append(
                CompiledRule(
                    definition: definition,
                    when: try Self.compile(
                        definition.when, file: file, catalog: catalog, groups: groupNames),
                    unless: try Self.compile(
                        definition.unless, file: file, catalog: catalog, groups: groupNames)))
        }
        if !configuration.detect.keywords.isEmpty {
            rules.append(Self.keywordRule(action: configuration.policy.keywordAction))
        }
        self.rules = rules
    }

    /// The policy of the built-in settings with only the keyword rule, for tests and
    /// callers without a configuration file.
    public init(settings: PolicySettings) {
        self.settings = settings
        self.scope = Scope()
        self.groups = [:]
        self.rules = [Self.keywordRule(action: settings.keywordAction)]
    }

    private static func keywordRule(action: Action) -> CompiledRule {
        let condition = RuleExpression.compare(
            MessageScanner.configKeywordDetector, .greaterOrEqual, .number(1))
        return CompiledRule(
            definition: RuleDefinition(name: self.keywordRule, line: 0, when: nil, action: action),
            when: condition, unless: nil)
    }

    private static func compile(
        _ entry: ConfigEntry?, file: String, catalog: FactCatalog, groups: Set<String>
    ) throws(ConfigError) -> RuleExpression? {
        guard let entry else {
            return nil
        }
        do {
            return try RuleParser.parse(entry.value, catalog: catalog, groups: groups)
        } catch {
            throw ConfigError(
                file: file, line: entry.line, column: entry.column + error.column - 1,
                key: entry.key, message: error.message)
        }
    }

    /// Decides what happens to a message. With `split_recipients`, a message blocked only
    /// because of its external recipients goes to the internal ones and the external ones
    /// are removed.
    public func decide(
        _ report: ScanReport, envelope: Envelope, extraFacts: [String: FactValue] = [:]
    ) -> Decision {
        let decision = self.decideWhole(report, envelope: envelope, extraFacts: extraFacts)
        guard self.settings.splitRecipients, decision.action.blocks else {
            return decision
        }
        let insiders = envelope.recipients.filter { !self.scope.isExternal($0) }
        guard !insiders.isEmpty, insiders.count < envelope.recipients.count else {
            return decision
        }
        var inside = envelope
        inside.recipients = insiders
        var split = self.decideWhole(report, envelope: inside, extraFacts: extraFacts)
        guard !split.action.blocks else {
            return decision
        }
        split.reference = decision.reference
        split.rules = decision.rules
        split.intendedAction = split.action
        split.notify = Array(Set(decision.notify + ["sender"])).sorted()
        split.removedRecipients = envelope.recipients.filter(self.scope.isExternal)
        return split
    }

    private func decideWhole(
        _ report: ScanReport, envelope: Envelope, extraFacts: [String: FactValue]
    ) -> Decision {
        let facts = MessageFacts(
            report: report, envelope: envelope, scope: self.scope, groups: self.groups,
            extra: extraFacts)
        let fired = self.rules.filter { $0.fires(facts) }
        var decision = Decision(action: .accept)
        decision.rules = fired.map(\.definition.name)
        decision.alertWindows = Dictionary(
            fired.compactMap { rule in rule.alertWindow.map { (rule.definition.name, $0) } },
            uniquingKeysWith: max)
        decision.notify = Array(Set(fired.flatMap(\.definition.notify))).sorted()
        decision.bcc = Array(Set(fired.compactMap(\.definition.bcc))).sorted()
        decision.addedHeaders = fired.compactMap(\.definition.addHeader)

        let strongest = fired.max { $0.definition.action < $1.definition.action }
        let intended = strongest?.definition.action ?? .accept
        decision.intendedAction = intended
        decision.action = self.settings.mode == .monitor && intended.blocks ? .monitor : intended

        switch decision.action {
        case .reject:
            let reply = strongest?.definition.reply ?? self.settings.rejectReply
            decision.reply = reply.referencing(decision.reference)
        case .tempfail:
            let reply = strongest?.definition.reply ?? self.settings.tempfailReply
            decision.reply = reply.referencing(decision.reference)
        case .accept, .monitor, .discard, .quarantine:
            break
        }
        if self.settings.addHeader && !decision.action.blocks {
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
