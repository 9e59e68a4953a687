// What extraction found in one message's attachments: a flat list of items in the order they
// were met (each container before its members) and the limits that cut the work short.

/// The items of one or more attachments and whether any limit stopped extraction early.
public struct ExtractionResult: Sendable, Hashable {
    public var items: [ExtractedItem]
    /// Limits reached; when any was, some content was not examined.
    public var limitHits: [ExtractionProblem]

    public init(items: [ExtractedItem], limitHits: [ExtractionProblem]) {
        self.items = items
        self.limitHits = limitHits
    }

    /// True when a limit kept some content from being examined.
    public var incomplete: Bool {
        !self.limitHits.isEmpty
    }

    /// The first limit reached, for a one-line reason.
    public var incompleteReason: String? {
        self.limitHits.first?.description
    }

    /// The item at `path`, if there is one.
    public func item(at path: String) -> ExtractedItem? {
        self.items.first { $0.path == path }
    }
}
