// The input of extraction: one decoded MIME part as the message parser hands it over. The
// extractor never sees MIME structure; it only needs the name, the declared type and the bytes.

/// One attachment (or any leaf part) of a message.
public struct Attachment: Sendable, Hashable {
    /// The decoded file name (RFC 2231/2047 already applied), if the part had one.
    public var name: String?
    /// The declared Content-Type, parameters included (`text/plain; charset=gbk`).
    public var declaredType: String?
    /// The part's path in the message, such as `1.3`.
    public var path: String
    /// The transfer-decoded content.
    public var bytes: [UInt8]

    public init(name: String?, declaredType: String?, path: String, bytes: [UInt8]) {
        self.name = name
        self.declaredType = declaredType
        self.path = path
        self.bytes = bytes
    }
}
