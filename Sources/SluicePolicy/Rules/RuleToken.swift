// Tokens of the rule language used in `when =` and `unless =`: names of facts, numbers with
// optional size units, quoted strings, comparison operators, parentheses and commas. Each
// token keeps its column so errors can point at it.

/// One token of a rule expression.
struct RuleToken: Equatable, Sendable {
    enum Kind: Equatable, Sendable {
        /// A fact name, a keyword (`and`, `or`, `not`, `in`, `true`, `false`) or a bare word
        /// such as `executable`.
        case word(String)
        /// A number; sizes such as `20MB` are already in bytes.
        case number(Double)
        case string(String)
        case comparison(String)
        case openParenthesis
        case closeParenthesis
        case comma
        case end
    }

    var kind: Kind
    /// 1-based column in the value of the key.
    var column: Int
}

/// Splits an expression into tokens.
enum RuleLexer {
    static func tokens(_ text: String) throws(RuleSyntaxError) -> [RuleToken] {
        let characters = Array(text.unicodeScalars)
        var tokens: [RuleToken] = []
        var index = 0
        while index < characters.count {
            let character = characters[index]
            let column = index + 1
            if character.properties.isWhitespace {
                index += 1
            } else if character == "(" || character == ")" || character == "," {
                let kind: RuleToken.Kind =
                    character == "("
                    ? .openParenthesis : character == ")" ? .closeParenthesis : .comma
                tokens.append(RuleToken(kind: kind, column: column))
                index += 1
            } else if "<>=!".unicodeScalars.contains(character) {
                let next = index + 1 < characters.count ? characters[index + 1] : " "
                let pair = String(character) + (next == "=" ? "=" : "")
                guard ["<", ">", "<=", ">=", "==", "!="].contains(pair) else {
                    throw RuleSyntaxError(column: column, message: "unknown operator '\(pair)'")
                }
                tokens.append(RuleToken(kind: .comparison(pair), column: column))
                index += pair.unicodeScalars.count
            } else if character == "\"" || character == "'" {
                let (value, end) = try self.quoted(characters, from: index)
                tokens.append(RuleToken(kind: .string(value), column: column))
                index = end
            } else if self.isWordCharacter(character) {
                var end = index
                while end < characters.count && self.isWordCharacter(characters[end]) {
                    end += 1
                }
                let word = String(String.UnicodeScalarView(characters[index..<end]))
                tokens.append(RuleToken(kind: self.classify(word), column: column))
                index = end
            } else {
                throw RuleSyntaxError(
                    column: column, message: "unexpected character '\(Character(character))'")
            }
        }
        tokens.append(RuleToken(kind: .end, column: characters.count + 1))
        return tokens
    }

    private static func isWordCharacter(_ character: Unicode.Scalar) -> Bool {
        character.properties.isAlphabetic || ("0"..."9").contains(character)
            || "._-:/@+*".unicodeScalars.contains(character)
    }

    /// A word that is a number (with an optional size unit) becomes a number token.
    private static func classify(_ word: String) -> RuleToken.Kind {
        guard let first = word.unicodeScalars.first, ("0"..."9").contains(first) else {
            return .word(word)
        }
        if let number = Double(word) {
            return .number(number)
        }
        let letters = word.drop { $0.isNumber || $0 == "." }
        if !letters.isEmpty,
            ["kb", "mb", "gb", "kib", "mib", "gib", "k", "m", "g"]
                .contains(letters.lowercased()), let size = ConfigValue.size(word)
        {
            return .number(Double(size))
        }
        // Something like an address or network (10.0.0.0/8): a bare word.
        return .word(word)
    }

    private static func quoted(
        _ characters: [Unicode.Scalar], from start: Int
    ) throws(RuleSyntaxError) -> (String, Int) {
        let quote = characters[start]
        var value = String.UnicodeScalarView()
        var index = start + 1
        while index < characters.count {
            let character = characters[index]
            if character == "\\" && index + 1 < characters.count {
                value.append(characters[index + 1])
                index += 2
                continue
            }
            if character == quote {
                return (String(value), index + 1)
            }
            value.append(character)
            index += 1
        }
        throw RuleSyntaxError(column: start + 1, message: "unterminated string")
    }
}

/// A syntax or type error inside one expression, before it is placed in a file.
struct RuleSyntaxError: Error, Equatable {
    var column: Int
    var message: String
}
