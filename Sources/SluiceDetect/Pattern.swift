// One expression in the compiled matcher and what a match of it means: a dictionary term, a
// dictionary regular expression, an identifier candidate to validate, or a supporting keyword
// that raises the confidence of a nearby identifier.

import CHyperscan

/// One entry of the Hyperscan pattern set.
struct Pattern: Sendable {
    enum Role: Sendable {
        /// A literal dictionary term, `length` bytes once normalised; `wordStart`/`wordEnd`
        /// ask for a non-alphanumeric neighbour when the term starts/ends with one.
        case term(list: Int, line: Int, length: Int, wordStart: Bool, wordEnd: Bool)
        /// A `/…/` dictionary line.
        case expression(list: Int, line: Int)
        case identifier(IdentifierKind)
        case support(kinds: [IdentifierKind], length: Int, wordStart: Bool, wordEnd: Bool)
    }

    var expression: String
    var flags: UInt32
    var role: Role

    /// Dictionary terms and supporting keywords: byte-exact literals.
    var isLiteral: Bool {
        switch self.role {
        case .term, .support: return true
        case .expression, .identifier: return false
        }
    }

    /// A literal as a byte-exact Hyperscan expression (matched against normalised text).
    static func literal(_ bytes: [UInt8], role: Role) -> Pattern {
        var expression: [UInt8] = []
        expression.reserveCapacity(bytes.count * 4)
        for byte in bytes {
            if CharacterClass.isASCIIAlphanumeric(byte) {
                expression.append(byte)
            } else {
                expression += [
                    0x5C, 0x78, Self.hexDigits[Int(byte >> 4)], Self.hexDigits[Int(byte & 15)],
                ]
            }
        }
        return Pattern(
            expression: String(decoding: expression, as: UTF8.self), flags: 0, role: role)
    }

    private static let hexDigits = Array("0123456789ABCDEF".utf8)

    /// A `/…/` dictionary line: case-blind UTF-8, reporting where each match starts.
    static func regularExpression(_ body: String, role: Role) -> Pattern {
        let flags = HS_FLAG_CASELESS | HS_FLAG_UTF8 | HS_FLAG_SOM_LEFTMOST
        return Pattern(expression: body, flags: UInt32(flags), role: role)
    }

    /// An identifier candidate shape; validation happens after the scan.
    static func identifier(_ kind: IdentifierKind, _ expression: String) -> Pattern {
        Pattern(
            expression: expression, flags: UInt32(HS_FLAG_SOM_LEFTMOST), role: .identifier(kind))
    }

    /// Candidate shapes over normalised (lower-case, half-width) text. Boundaries against
    /// letters and digits are checked after the scan, since Hyperscan has no look-behind.
    static let identifierShapes: [Pattern] = [
        identifier(.residentID, #"\d{17}[\dx]"#),
        identifier(.residentID, #"\d{15}"#),
        identifier(.creditCode, #"[1-9a-gy][1-9]\d{6}[0-9a-hj-np-rtuwxy]{10}"#),
        // Whole, in fours with a shorter last group, or 4-6-5 and 4-6-4 (Amex, Diners): the
        // way cards are written, and not a column of numbers.
        identifier(.bankCard, #"\d{13,19}"#),
        identifier(.bankCard, #"\d{4}(?:[ \-]\d{4}){2,3}(?:[ \-]\d{1,4})?"#),
        identifier(.bankCard, #"\d{4}[ \-]\d{6}[ \-]\d{4,5}"#),
        identifier(.mobile, #"(?:(?:\+|00)86[ \-]?)?1[3-9]\d(?:[ \-]?\d{4}){2}"#),
        identifier(.iban, #"[a-z]{2}\d{2}(?: ?[0-9a-z]){11,30}"#),
        identifier(.socialSecurityNumber, #"\d{3}(?:-\d{2}-| \d{2} )\d{4}"#),
        identifier(
            .privateKey,
            #"-----begin (?:rsa |dsa |ec |openssh |encrypted |pgp )?private key(?: block)?-----"#),
        identifier(.cloudCredential, #"(?:akia|asia)[0-9a-z]{16}"#),
        identifier(.cloudCredential, #"ltai[0-9a-z]{12,20}"#),
        identifier(.cloudCredential, #"gh[pousr]_[0-9a-z]{36}"#),
        identifier(.cloudCredential, #"github_pat_[0-9a-z_]{82}"#),
        identifier(.cloudCredential, #"xox[abeoprs]-[0-9a-z]{8,}(?:-[0-9a-z]{4,})+"#),
        identifier(.cloudCredential, #"aiza[0-9a-z_\-]{35}"#),
    ]

    /// Words that make a nearby identifier more likely to be what it looks like.
    static let supportingKeywords: [IdentifierKind: [String]] = [
        .residentID: [
            "身份证", "身份证号", "证件号", "公民身份号码", "id card", "id no", "identity card",
            "resident id",
        ],
        .creditCode: ["统一社会信用代码", "信用代码", "税号", "credit code", "uscc"],
        .bankCard: [
            "卡号", "银行卡", "账号", "帐号", "开户行", "card number", "card no", "account",
            "credit card", "debit card",
        ],
        .mobile: ["手机", "电话", "联系方式", "mobile", "phone", "tel", "cell"],
        .iban: ["iban", "account", "bank", "swift", "bic"],
        .socialSecurityNumber: ["ssn", "social security", "ss#"],
        .cloudCredential: ["secret", "access key", "accesskey", "token", "api key"],
    ]
}
