// One MIME entity of a parsed message: a container (multipart or encapsulated message) or a
// leaf whose decoded content later stages read. Parts are listed flat, in document order, and
// named by their path in the tree.

/// A header field with its name lower-cased and its value unfolded and decoded to UTF-8.
public struct HeaderField: Sendable, Hashable {
    public var name: String
    public var value: String

    public init(name: String, value: String) {
        self.name = name
        self.value = value
    }
}

/// Whether a part is read as text in the message, carried as a file, or only holds other parts.
public enum PartRole: String, Sendable, Hashable {
    /// A multipart or an encapsulated message; its children are listed after it.
    case container
    /// Text shown in the message body (`text/*` without a file name or attachment disposition).
    case inlineText = "inline-text"
    /// A file: an attachment disposition, a file name, or non-text content.
    case attachment
}

/// What was noticed about a part while parsing and decoding it.
public struct PartFlags: OptionSet, Sendable, Hashable {
    public let rawValue: UInt32

    public init(rawValue: UInt32) {
        self.rawValue = rawValue
    }

    /// Base64 content held bytes outside the alphabet, stray padding or a truncated tail.
    public static let malformedBase64 = PartFlags(rawValue: 1 << 0)
    /// Quoted-printable content held `=` signs that were not valid escapes.
    public static let malformedQuotedPrintable = PartFlags(rawValue: 1 << 1)
    /// A uuencoded block was damaged or unterminated.
    public static let malformedUUEncode = PartFlags(rawValue: 1 << 2)
    /// The text was not decoded with its declared charset (missing, unknown or wrong label).
    public static let charsetFallback = PartFlags(rawValue: 1 << 3)
    /// Some bytes could not be decoded in any charset tried and became U+FFFD.
    public static let undecodableBytes = PartFlags(rawValue: 1 << 4)
    /// S/MIME or PGP encrypted content: present but not readable.
    public static let encrypted = PartFlags(rawValue: 1 << 5)
    /// A signature, or content wrapped in a signature (S/MIME, PGP).
    public static let signed = PartFlags(rawValue: 1 << 6)
    /// Content that cannot be scanned as delivered (fragments, opaque or encrypted wrappers).
    public static let unscannable = PartFlags(rawValue: 1 << 7)
    /// A `message/partial` fragment: the whole message only exists at the recipient.
    public static let partial = PartFlags(rawValue: 1 << 8)
    /// A `message/external-body` reference: the content lives elsewhere.
    public static let externalBody = PartFlags(rawValue: 1 << 9)
    /// A multipart whose boundary was missing, never found, or never closed.
    public static let missingBoundary = PartFlags(rawValue: 1 << 10)
    /// Decoding stopped at the decoded-bytes limit; the content is cut short.
    public static let truncated = PartFlags(rawValue: 1 << 11)
    /// A header of this part was malformed (bad parameters, oversized block, no separator).
    public static let malformedHeader = PartFlags(rawValue: 1 << 12)
    /// A file found uuencoded inside a text body rather than a MIME part of its own.
    public static let uuencoded = PartFlags(rawValue: 1 << 13)
    /// The content was not parsed as MIME because a limit (depth or parts) was reached.
    public static let unparsed = PartFlags(rawValue: 1 << 14)

    /// Flag names as used in logs and JSON output, such as `malformed-base64`.
    public var names: [String] {
        PartFlags.named.compactMap { self.contains($0.flag) ? $0.name : nil }
    }

    private static let named: [(flag: PartFlags, name: String)] = [
        (.malformedBase64, "malformed-base64"),
        (.malformedQuotedPrintable, "malformed-quoted-printable"),
        (.malformedUUEncode, "malformed-uuencode"),
        (.charsetFallback, "charset-fallback"),
        (.undecodableBytes, "undecodable-bytes"),
        (.encrypted, "encrypted"),
        (.signed, "signed"),
        (.unscannable, "unscannable"),
        (.partial, "partial"),
        (.externalBody, "external-body"),
        (.missingBoundary, "missing-boundary"),
        (.truncated, "truncated"),
        (.malformedHeader, "malformed-header"),
        (.uuencoded, "uuencoded"),
        (.unparsed, "unparsed"),
    ]
}

/// One MIME entity of a message.
public struct MessagePart: Sendable {
    /// Position in the tree: the top-level entity is `1`, its children `1.1`, `1.2`, and so on.
    public var path: String
    /// Nesting depth; the top-level entity is 1.
    public var depth: Int
    /// The entity's own header fields, in order.
    public var headers: [HeaderField]
    /// Lower-cased `type/subtype`; `text/plain` (or `message/rfc822` in a digest) when absent.
    public var contentType: String
    /// Content-Type parameters by lower-cased name, decoded.
    public var parameters: [String: String]
    /// Lower-cased disposition type (`inline`, `attachment`), if the header is present.
    public var disposition: String?
    /// Content-Disposition parameters by lower-cased name, decoded.
    public var dispositionParameters: [String: String]
    /// The decoded file name from the disposition `filename` or the type's `name`.
    public var filename: String?
    /// The charset label as declared, lower-cased.
    public var declaredCharset: String?
    /// The charset actually used to read this part's text, if it was read as text.
    public var textCharset: String?
    /// Lower-cased Content-Transfer-Encoding; `7bit` when absent.
    public var transferEncoding: String
    /// Size of the body as it appears in the message, in bytes.
    public var rawSize: Int
    /// Size of the body after transfer decoding, in bytes.
    public var decodedSize: Int
    public var flags: PartFlags
    public var role: PartRole
    /// The transfer-decoded body of a leaf part; empty for containers.
    public var content: [UInt8]

    /// Whether this part is a file that attachment extraction should read.
    public var isAttachment: Bool { self.role == .attachment }

    /// Whether this part is body text shown inline.
    public var isInlineText: Bool { self.role == .inlineText }

    /// The major type, such as `text` or `multipart`.
    public var mediaType: String {
        String(decoding: self.contentType.utf8.prefix { $0 != 0x2F }, as: UTF8.self)
    }

    /// The first header field named `name` (lower-case), if any.
    public func header(_ name: String) -> String? {
        self.headers.first { $0.name == name }?.value
    }
}
