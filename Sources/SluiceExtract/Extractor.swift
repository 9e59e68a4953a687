// The entry point of extraction: one attachment, or all attachments of one message sharing one
// budget, in; a flat list of items with their true types, groups and text out. Extraction never
// throws: what could not be read is said on the items and in the result's limit hits.

/// Opens attachments within `limits`. A value type; safe to share between threads.
///
///     let extractor = Extractor(limits: ExtractionLimits(maxDepth: 5))
///     let result = extractor.extract(
///         Attachment(name: "资料.zip", declaredType: "application/zip", path: "1.3", bytes: data))
///     for item in result.items where item.groups.contains(.executable) { … }
///     let text = result.items.map(\.text)   // what the detectors read
public struct Extractor: Sendable {
    public var limits: ExtractionLimits
    public var tools: ExternalTools

    public init(
        limits: ExtractionLimits = ExtractionLimits(), tools: ExternalTools = ExternalTools()
    ) {
        self.limits = limits
        self.tools = tools
    }

    /// Extracts one attachment and everything inside it.
    public func extract(_ attachment: Attachment) -> ExtractionResult {
        self.extract([attachment])
    }

    /// Extracts the attachments of one message; the byte and time limits cover them all.
    public func extract(_ attachments: [Attachment]) -> ExtractionResult {
        let run = ExtractionRun(limits: self.limits, tools: self.tools)
        for attachment in attachments {
            run.visit(
                attachment.bytes, name: attachment.name, declaredType: attachment.declaredType,
                path: attachment.path, depth: 0)
        }
        return ExtractionResult(items: run.items, limitHits: run.limitHits)
    }
}
