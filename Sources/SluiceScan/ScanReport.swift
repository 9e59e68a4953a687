// What one scan of one message found. This is the scanner's whole output: policy decides
// from it, and `sluice scan --json` prints it. Samples are already masked where a value is
// sensitive; nothing in a report needs hiding again.

/// One detector's findings in a message.
public struct Finding: Equatable, Sendable, Codable {
    /// The detector id, such as `keyword:config`.
    public var detector: String
    /// How many distinct values the detector found.
    public var count: Int
    /// A few examples, masked where the value is sensitive.
    public var samples: [String]

    public init(detector: String, count: Int, samples: [String]) {
        self.detector = detector
        self.count = count
        self.samples = samples
    }
}

/// One attachment of a message.
public struct AttachmentSummary: Equatable, Sendable, Codable {
    public var name: String
    public var path: String
    public var size: Int

    public init(name: String, path: String, size: Int) {
        self.name = name
        self.path = path
        self.size = size
    }
}

/// The result of scanning one message.
public struct ScanReport: Equatable, Sendable {
    public var messageSize: Int
    public var findings: [Finding]
    public var attachments: [AttachmentSummary]

    public init(messageSize: Int, findings: [Finding] = [], attachments: [AttachmentSummary] = []) {
        self.messageSize = messageSize
        self.findings = findings
        self.attachments = attachments
    }

    /// The count for `detector`, or 0 when it found nothing.
    public func count(of detector: String) -> Int {
        self.findings.first { $0.detector == detector }?.count ?? 0
    }
}
