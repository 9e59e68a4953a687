// What one scan of one message found. This is the scanner's whole output: policy decides
// from it, and `sluice scan --json` prints it. Samples are already masked where a value is
// sensitive; nothing in a report needs hiding again.

/// One detector's findings in a message.
public struct Finding: Equatable, Sendable, Codable {
    /// The detector id, such as `keyword:confidential` or `cn-resident-id`.
    public var detector: String
    /// How many distinct values the detector found.
    public var count: Int
    /// From 0 to 1: higher when supporting context (a label such as 身份证) was near.
    public var confidence: Double
    /// Where the values were: `subject`, `body 1.1`, `1.2/report.zip/a.txt`, …
    public var locations: [String]
    /// A few examples, masked where the value is sensitive.
    public var samples: [String]

    public init(
        detector: String, count: Int, confidence: Double = 1, locations: [String] = [],
        samples: [String]
    ) {
        self.detector = detector
        self.count = count
        self.confidence = confidence
        self.locations = locations
        self.samples = samples
    }
}

/// One attachment or archive member of a message.
public struct AttachmentSummary: Equatable, Sendable, Codable {
    public var name: String
    /// Part path, and for archive members the path inside: `1.3/资料.zip/合同.txt`.
    public var path: String
    public var size: Int
    public var declaredType: String?
    public var detectedType: String?
    public var `extension`: String?
    /// Type groups such as `executable`, `archive`, `office`.
    public var groups: [String]
    public var encrypted: Bool
    /// Whether everything readable in it was read.
    public var scanned: Bool
    /// The declared type or extension disagrees with the content.
    public var typeMismatch: Bool
    /// Why it was not fully scanned, when it was not.
    public var problem: String?

    public init(
        name: String, path: String, size: Int, declaredType: String? = nil,
        detectedType: String? = nil, extension: String? = nil, groups: [String] = [],
        encrypted: Bool = false, scanned: Bool = true, typeMismatch: Bool = false,
        problem: String? = nil
    ) {
        self.name = name
        self.path = path
        self.size = size
        self.declaredType = declaredType
        self.detectedType = detectedType
        self.extension = `extension`
        self.groups = groups
        self.encrypted = encrypted
        self.scanned = scanned
        self.typeMismatch = typeMismatch
        self.problem = problem
    }

    enum CodingKeys: String, CodingKey {
        case name, path, size, declaredType = "declared_type", detectedType = "detected_type"
        case `extension`, groups, encrypted, scanned, typeMismatch = "type_mismatch", problem
    }
}

/// One MIME part, as `sluice scan --json` lists it.
public struct PartSummary: Equatable, Sendable, Codable {
    public var path: String
    public var type: String
    public var charset: String?
    public var filename: String?
    public var size: Int
    public var flags: [String]

    public init(
        path: String, type: String, charset: String?, filename: String?, size: Int,
        flags: [String]
    ) {
        self.path = path
        self.type = type
        self.charset = charset
        self.filename = filename
        self.size = size
        self.flags = flags
    }
}

/// A text the detectors read, with where it came from.
public struct ScannedText: Equatable, Sendable {
    public var location: String
    public var text: String
}

/// The result of scanning one message.
public struct ScanReport: Equatable, Sendable {
    public var messageSize: Int
    public var findings: [Finding]
    public var attachments: [AttachmentSummary]
    /// Why the message was not read completely (a limit was hit); empty when it was.
    public var incomplete: [String]
    /// Whether the message is S/MIME or PGP encrypted.
    public var encrypted: Bool
    /// Distinct people identified (by distinct resident ids), where identifiers allow.
    public var distinctPeople: Int
    /// The decoded Subject and Message-ID, for logs, notifications and the audit trail.
    public var subject: String?
    public var messageID: String?
    /// The decoded From, To and Cc header values, for replaying stored mail without an
    /// envelope.
    public var headerFrom: String?
    public var headerRecipients: [String] = []
    public var parts: [PartSummary] = []
    /// Every text read, when the scan was asked to keep them.
    public var texts: [ScannedText] = []

    public init(
        messageSize: Int, findings: [Finding] = [], attachments: [AttachmentSummary] = [],
        incomplete: [String] = [], encrypted: Bool = false, distinctPeople: Int = 0,
        subject: String? = nil, messageID: String? = nil
    ) {
        self.messageSize = messageSize
        self.findings = findings
        self.attachments = attachments
        self.incomplete = incomplete
        self.encrypted = encrypted
        self.distinctPeople = distinctPeople
        self.subject = subject
        self.messageID = messageID
    }

    /// The count for `detector`, or 0 when it found nothing.
    public func count(of detector: String) -> Int {
        self.findings.first { $0.detector == detector }?.count ?? 0
    }

    /// The confidence for `detector`, or 0 when it found nothing.
    public func confidence(of detector: String) -> Double {
        self.findings.first { $0.detector == detector }?.confidence ?? 0
    }
}
