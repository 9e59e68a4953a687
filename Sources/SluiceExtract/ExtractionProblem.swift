// Why an item was not (fully) scanned, or which limit stopped extraction. Problems are values:
// the extractor never throws, prints or logs; policy decides what an unscannable part means.

/// Something that kept an item from being fully scanned.
public struct ExtractionProblem: Sendable, Hashable, CustomStringConvertible {
    public enum Kind: String, Sendable, Hashable, CaseIterable {
        case encrypted
        case depthLimit = "depth-limit"
        case memberLimit = "member-limit"
        case totalBytesLimit = "total-bytes-limit"
        case fileSizeLimit = "file-size-limit"
        case ratioLimit = "ratio-limit"
        case timeLimit = "time-limit"
        case textLimit = "text-limit"
        case overlappingEntries = "overlapping-entries"
        case damaged
        case extractorFailed = "extractor-failed"
        case extractorUnavailable = "extractor-unavailable"
    }

    public var kind: Kind
    /// Path of the item concerned.
    public var path: String
    public var detail: String

    public init(kind: Kind, path: String, detail: String) {
        self.kind = kind
        self.path = path
        self.detail = detail
    }

    /// True for the kinds that come from `ExtractionLimits`.
    public var isLimit: Bool {
        switch self.kind {
        case .depthLimit, .memberLimit, .totalBytesLimit, .fileSizeLimit, .ratioLimit,
            .timeLimit, .textLimit:
            return true
        default:
            return false
        }
    }

    /// `1.2/a.zip: encrypted: member data is encrypted`.
    public var description: String {
        "\(self.path): \(self.kind.rawValue): \(self.detail)"
    }
}
