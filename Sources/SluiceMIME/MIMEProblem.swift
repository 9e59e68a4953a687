// Damage found in a message and limits it reached. Neither stops parsing: problems describe
// what was tolerated, limit hits mark the message incomplete so that policy can act on it.

/// Something malformed in a message, and where.
public struct MIMEProblem: Sendable, Hashable, CustomStringConvertible {
    public enum Kind: String, Sendable, Hashable {
        case malformedHeader = "malformed-header"
        case missingHeaderSeparator = "missing-header-separator"
        case missingBoundaryParameter = "missing-boundary-parameter"
        case boundaryNotFound = "boundary-not-found"
        case closingBoundaryMissing = "closing-boundary-missing"
        case malformedBase64 = "malformed-base64"
        case malformedQuotedPrintable = "malformed-quoted-printable"
        case malformedUUEncode = "malformed-uuencode"
        case unknownTransferEncoding = "unknown-transfer-encoding"
        case charsetFallback = "charset-fallback"
        case undecodableBytes = "undecodable-bytes"
        case encodedTransferOnContainer = "encoded-container"
    }

    public var kind: Kind
    /// Path of the part concerned.
    public var path: String
    public var detail: String

    public init(kind: Kind, path: String, detail: String) {
        self.kind = kind
        self.path = path
        self.detail = detail
    }

    /// `part 1.2: malformed-base64: 3 bytes outside the base64 alphabet skipped`.
    public var description: String {
        "part \(self.path): \(self.kind.rawValue): \(self.detail)"
    }
}

/// A limit the message reached, which makes the parse incomplete.
public struct MIMELimitHit: Sendable, Hashable, CustomStringConvertible {
    public var limit: MIMELimits.Kind
    /// Path of the part where the limit was reached.
    public var path: String
    public var detail: String

    public init(limit: MIMELimits.Kind, path: String, detail: String) {
        self.limit = limit
        self.path = path
        self.detail = detail
    }

    /// `part 1.3: limit parts: 10000 parts recorded, the rest kept as raw text`.
    public var description: String {
        "part \(self.path): limit \(self.limit.rawValue): \(self.detail)"
    }
}
