// The parsed form of one mail message: its parts, the texts detectors read, the damage found
// and the limits reached. This is the entry point of the SluiceMIME module.

/// A message parsed into MIME parts and scannable texts.
public struct MIMEMessage: Sendable {
    /// Header fields of the top-level entity, decoded to UTF-8.
    public var headers: [HeaderField]
    /// Every entity in document order; `parts[0]` is the top-level entity (path `1`).
    public var parts: [MessagePart]
    /// The texts detectors read, with where each came from.
    public var texts: [ScannableText]
    /// Damage that was tolerated while parsing.
    public var problems: [MIMEProblem]
    /// Limits reached; when not empty, some content was not parsed or decoded.
    public var limitHits: [MIMELimitHit]

    /// Parses a whole message (headers and body) held in `bytes`.
    public init(parsing bytes: [UInt8], limits: MIMELimits = MIMELimits()) {
        self = bytes.withUnsafeBufferPointer { MIMEMessage(parsing: $0, limits: limits) }
    }

    /// Parses a whole message held in `buffer`; nothing of `buffer` is kept.
    public init(parsing buffer: UnsafeRawBufferPointer, limits: MIMELimits = MIMELimits()) {
        self.init(parsing: buffer.bindMemory(to: UInt8.self), limits: limits)
    }

    /// Parses a whole message held in `buffer`; nothing of `buffer` is kept.
    public init(parsing buffer: UnsafeBufferPointer<UInt8>, limits: MIMELimits = MIMELimits()) {
        var parser = MessageParser(limits: limits)
        parser.parseMessage(buffer)
        self.headers = parser.parts.first?.headers ?? []
        self.parts = parser.parts
        self.texts = parser.texts
        self.problems = parser.problems
        self.limitHits = parser.limitHits
    }

    /// Whether a limit stopped part of the message from being parsed or decoded.
    public var isIncomplete: Bool { !self.limitHits.isEmpty }

    /// The decoded Subject of the top-level message.
    public var subject: String? { self.header("subject") }
    /// The decoded From of the top-level message.
    public var from: String? { self.header("from") }
    /// The decoded To of the top-level message.
    public var to: String? { self.header("to") }
    /// The decoded Cc of the top-level message.
    public var cc: String? { self.header("cc") }
    /// The Message-ID of the top-level message.
    public var messageID: String? { self.header("message-id") }

    /// Parts that attachment extraction should read.
    public var attachments: [MessagePart] { self.parts.filter(\.isAttachment) }

    /// The first top-level header field named `name` (lower-case).
    public func header(_ name: String) -> String? {
        self.headers.first { $0.name == name }?.value
    }

    /// The part at `path`, such as `1.2`.
    public func part(at path: String) -> MessagePart? {
        self.parts.first { $0.path == path }
    }
}
