// What SluiceDetect can report: a dictionary (`keyword:NAME`) or one of the built-in
// identifier kinds, and how sure a report is. These names appear in policy rules, logs and
// JSON output, so they are stable.

/// A source of findings.
public enum Detector: Hashable, Sendable, CustomStringConvertible {
    /// A term or expression of the dictionary with this name.
    case keyword(String)
    case identifier(IdentifierKind)

    /// `keyword:NAME` or the identifier's id (`cn-resident-id`, `bank-card`, …).
    public var id: String {
        switch self {
        case .keyword(let name): return "keyword:\(name)"
        case .identifier(let kind): return kind.rawValue
        }
    }

    public var description: String {
        self.id
    }
}

/// The validated identifier detectors.
public enum IdentifierKind: String, CaseIterable, Sendable {
    case residentID = "cn-resident-id"
    case creditCode = "cn-uscc"
    case bankCard = "bank-card"
    case mobile = "cn-mobile"
    case iban = "iban"
    case socialSecurityNumber = "us-ssn"
    case privateKey = "private-key"
    case cloudCredential = "cloud-credential"
}

/// How likely a report is to be real, from the strength of the check and nearby context.
public enum Confidence: Int, Comparable, Sendable, CustomStringConvertible {
    case low = 1
    case medium = 2
    case high = 3

    public static func < (lhs: Confidence, rhs: Confidence) -> Bool {
        lhs.rawValue < rhs.rawValue
    }

    public var description: String {
        switch self {
        case .low: return "low"
        case .medium: return "medium"
        case .high: return "high"
        }
    }

    /// One step up, for a supporting keyword nearby.
    var raised: Confidence {
        Confidence(rawValue: min(self.rawValue + 1, 3)) ?? .high
    }
}
