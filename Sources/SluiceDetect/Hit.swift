// One thing found in one text: which detector, where, how sure, and masked evidence. Hits are
// what `sluice dict test` shows; `Finding`s summarise them per detector for a message.

/// A single detection in one text.
public struct Hit: Sendable, Equatable {
    public var detector: Detector
    /// The label of the text it was found in (`subject`, `body 1.1`, …).
    public var location: String
    public var confidence: Confidence
    /// Masked evidence: a masked identifier, or a keyword with a little masked context (empty
    /// for keyword hits past the first few of a dictionary in one text).
    public var sample: String
    /// The normalised form that matched: the folded term for keywords, the masked value for
    /// identifiers.
    public var normalized: String
    /// For keyword hits, the dictionary line that matched.
    public var line: Int?
    /// Identifies the value without revealing it, for counting distinct values.
    var valueKey: Int
}
