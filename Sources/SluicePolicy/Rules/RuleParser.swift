// Parses and type-checks a rule condition:
//
//   expression := term ("or" term)*
//   term       := factor ("and" factor)*
//   factor     := "not" factor | "(" expression ")" | condition
//   condition  := FACT [ COMPARISON value | "in" ( "(" value ("," value)* ")" | group:NAME ) ]
//
// Facts must be in the catalog and values must fit their kind; errors give the column.

struct RuleParser {
    private let tokens: [RuleToken]
    private let catalog: FactCatalog
    private let groups: Set<String>
    private var position = 0

    /// Parses `text` against the facts of `catalog` and the sender groups named `groups`.
    static func parse(
        _ text: String, catalog: FactCatalog, groups: Set<String>
    ) throws(RuleSyntaxError) -> RuleExpression {
        var parser = RuleParser(
            tokens: try RuleLexer.tokens(text), catalog: catalog, groups: groups)
        let expression = try parser.expression()
        guard case .end = parser.current.kind else {
            throw parser.error("expected 'and', 'or' or the end of the condition")
        }
        return expression
    }

    private init(tokens: [RuleToken], catalog: FactCatalog, groups: Set<String>) {
        self.tokens = tokens
        self.catalog = catalog
        self.groups = groups
    }

    private var current: RuleToken { self.tokens[self.position] }

    private mutating func advance() {
        if self.position < self.tokens.count - 1 {
            self.position += 1
        }
    }

    private func error(_ message: String, at token: RuleToken? = nil) -> RuleSyntaxError {
        RuleSyntaxError(column: (token ?? self.current).column, message: message)
    }

    private func isWord(_ word: String) -> Bool {
        if case .word(let value) = self.current.kind {
            return value.lowercased() == word
        }
        return false
    }

    private mutating func expression() throws(RuleSyntaxError) -> RuleExpression {
        var left = try self.term()
        while self.isWord("or") {
            self.advance()
            left = .or(left, try self.term())
        }
        return left
    }

    private mutating func term() throws(RuleSyntaxError) -> RuleExpression {
        var left = try self.factor()
        while self.isWord("and") {
            self.advance()
            left = .and(left, try self.factor())
        }
        return left
    }

    private mutating func factor() throws(RuleSyntaxError) -> RuleExpression {
        if self.isWord("not") {
            self.advance()
            return .not(try self.factor())
        }
        if case .openParenthesis = self.current.kind {
            self.advance()
            let inner = try self.expression()
            guard case .closeParenthesis = self.current.kind else {
                throw self.error("expected ')'")
            }
            self.advance()
            return inner
        }
        return try self.condition()
    }

    private mutating func condition() throws(RuleSyntaxError) -> RuleExpression {
        let token = self.current
        guard case .word(let name) = token.kind else {
            throw self.error("expected a fact such as keyword:confidential or attachment.group")
        }
        if ["true", "false"].contains(name.lowercased()) {
            self.advance()
            return .constant(name.lowercased() == "true")
        }
        guard let kind = self.catalog.kind(of: name) else {
            let hints = self.catalog.suggestions(for: name)
            let hint = hints.isEmpty ? "" : " (did you mean \(hints.joined(separator: ", "))?)"
            throw self.error("unknown fact '\(name)'\(hint)", at: token)
        }
        self.advance()

        if case .comparison(let symbol) = self.current.kind,
            let comparison = RuleComparison(rawValue: symbol)
        {
            let ordering = comparison != .equal && comparison != .notEqual
            if ordering && kind != .number && kind != .numbers {
                throw self.error("'\(symbol)' compares numbers only")
            }
            self.advance()
            return .compare(name, comparison, try self.value(for: kind))
        }
        if self.isWord("in") {
            self.advance()
            return try self.membership(name, kind: kind)
        }
        guard kind == .bool else {
            throw self.error("'\(name)' is not true or false: compare it with a value")
        }
        return .truth(name)
    }

    private mutating func membership(
        _ name: String, kind: FactKind
    ) throws(RuleSyntaxError) -> RuleExpression {
        if case .word(let word) = self.current.kind, word.hasPrefix("group:") {
            let group = String(word.dropFirst("group:".count))
            guard kind == .text || kind == .texts else {
                throw self.error("only addresses can be in a group")
            }
            guard self.groups.contains(group) else {
                throw self.error("unknown group '\(group)'")
            }
            self.advance()
            return .inGroup(name, group)
        }
        guard case .openParenthesis = self.current.kind else {
            throw self.error("expected '(' with a list, or group:NAME, after 'in'")
        }
        guard kind != .bool else {
            throw self.error("'\(name)' is true or false and cannot be in a list")
        }
        self.advance()
        var values: [RuleValue] = []
        while true {
            values.append(try self.value(for: kind))
            if case .comma = self.current.kind {
                self.advance()
                continue
            }
            guard case .closeParenthesis = self.current.kind else {
                throw self.error("expected ',' or ')' in the list")
            }
            self.advance()
            return .member(name, values)
        }
    }

    /// Reads one value and checks it fits a fact of `kind`.
    private mutating func value(for kind: FactKind) throws(RuleSyntaxError) -> RuleValue {
        let token = self.current
        switch (kind, token.kind) {
        case (.number, .number(let number)), (.numbers, .number(let number)):
            self.advance()
            return .number(number)
        case (.number, _), (.numbers, _):
            throw self.error("expected a number or a size such as 20MB")
        case (.bool, .word(let word)) where ["true", "false"].contains(word.lowercased()):
            self.advance()
            return .bool(word.lowercased() == "true")
        case (.bool, _):
            throw self.error("expected true or false")
        case (.address, .word(let word)), (.address, .string(let word)):
            guard let network = IPNetwork(word) else {
                throw self.error("expected an address or network such as 10.0.0.0/8")
            }
            self.advance()
            return .network(network)
        case (.address, _):
            throw self.error("expected an address or network such as 10.0.0.0/8")
        case (_, .word(let word)), (_, .string(let word)):
            self.advance()
            return .text(word)
        case (_, .number(let number)):
            self.advance()
            // A whole number reads as it was written; one too large for Int as Swift prints it.
            return .text(Int(exactly: number).map { String($0) } ?? String(number))
        default:
            throw self.error("expected a value")
        }
    }
}
