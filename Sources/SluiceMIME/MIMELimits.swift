// Bounds on the work one message may cost the MIME parser.
// A message that reaches a bound is still parsed and scanned as far as the bound allows and is
// marked incomplete with the bound it hit, so policy can decide what to do with it.

/// The resource bounds applied while parsing one message.
public struct MIMELimits: Sendable, Hashable {
    /// Which bound a message reached.
    public enum Kind: String, Sendable, Hashable, CaseIterable {
        case depth
        case parts
        case decodedBytes = "decoded-bytes"
        case headerBytes = "header-bytes"
    }

    /// Deepest nesting of multiparts and encapsulated messages; the top-level entity is depth 1.
    /// Parsing recurses once per level, so values are capped at `MIMELimits.depthCeiling`.
    public var maxDepth: Int

    /// The highest accepted `maxDepth`, which keeps recursion well inside a thread's stack.
    public static let depthCeiling = 256

    /// Most entities (containers and leaves) recorded for one message.
    public var maxParts: Int

    /// Most bytes produced by transfer decoding over the whole message.
    public var maxDecodedBytes: Int

    /// Most bytes in one header block (the top-level one or any part's).
    public var maxHeaderBytes: Int

    public init(
        maxDepth: Int = 32,
        maxParts: Int = 10_000,
        maxDecodedBytes: Int = 256 << 20,
        maxHeaderBytes: Int = 1 << 20
    ) {
        self.maxDepth = min(max(1, maxDepth), MIMELimits.depthCeiling)
        self.maxParts = max(1, maxParts)
        self.maxDecodedBytes = max(0, maxDecodedBytes)
        self.maxHeaderBytes = max(0, maxHeaderBytes)
    }
}
