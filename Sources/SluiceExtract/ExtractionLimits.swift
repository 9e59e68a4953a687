// Bounds on what one message's attachments may cost to open: nesting, members, expanded bytes,
// expansion ratio, time, and the rlimits of the child processes that read PDF and legacy Office
// files. Reaching a bound never fails the call; it marks the result incomplete.

/// Limits applied while extracting one message's attachments. The defaults suit a mail relay.
public struct ExtractionLimits: Sendable, Hashable {
    /// Archives inside archives deeper than this are listed but not opened (the attachment is 0).
    public var maxDepth: Int
    /// Members read from one archive; the rest are skipped.
    public var maxMembersPerArchive: Int
    /// Expanded bytes read from all archives and documents of one message.
    public var maxTotalBytes: Int
    /// Expanded bytes of one member; longer members are read up to this size only.
    public var maxFileBytes: Int
    /// Expanded bytes per compressed byte of one archive, checked once `ratioFloorBytes` have
    /// been expanded from it (small, highly compressible text is normal).
    public var maxExpansionRatio: Int
    public var ratioFloorBytes: Int
    /// Text kept per item for the detectors.
    public var maxTextBytes: Int
    /// Wall-clock budget for the whole call.
    public var timeBudget: Duration
    /// Leading bytes handed to libmagic.
    public var magicBytes: Int
    /// CPU seconds, address space and wall-clock time of one external extractor run.
    public var childCPUSeconds: Int
    public var childMemoryBytes: Int
    public var childTimeout: Duration

    public init(
        maxDepth: Int = 8,
        maxMembersPerArchive: Int = 2_000,
        maxTotalBytes: Int = 256 << 20,
        maxFileBytes: Int = 64 << 20,
        maxExpansionRatio: Int = 200,
        ratioFloorBytes: Int = 16 << 20,
        maxTextBytes: Int = 16 << 20,
        timeBudget: Duration = .seconds(30),
        magicBytes: Int = 256 << 10,
        childCPUSeconds: Int = 10,
        childMemoryBytes: Int = 1 << 30,
        childTimeout: Duration = .seconds(15)
    ) {
        self.maxDepth = maxDepth
        self.maxMembersPerArchive = maxMembersPerArchive
        self.maxTotalBytes = maxTotalBytes
        self.maxFileBytes = maxFileBytes
        self.maxExpansionRatio = maxExpansionRatio
        self.ratioFloorBytes = ratioFloorBytes
        self.maxTextBytes = maxTextBytes
        self.timeBudget = timeBudget
        self.magicBytes = magicBytes
        self.childCPUSeconds = childCPUSeconds
        self.childMemoryBytes = childMemoryBytes
        self.childTimeout = childTimeout
    }
}
