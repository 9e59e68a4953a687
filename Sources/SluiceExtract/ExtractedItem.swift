// One thing found in an attachment: the attachment itself, an archive member, or a file embedded
// in a document. Every item carries its true type, its groups, what was odd about its name, and
// the text the detectors must read.

/// An attachment or something found inside one.
public struct ExtractedItem: Sendable, Hashable {
    /// `1.3` for the attachment, `1.3/资料.zip/inner.zip/notes/合同.txt` for a nested member.
    public var path: String
    /// The file name (the last path component for members), if any.
    public var name: String?
    /// 0 for the attachment, 1 for its members, and so on.
    public var depth: Int
    /// Content size in bytes (for a member cut short by a limit, the bytes read).
    public var size: Int
    /// The declared Content-Type for an attachment; nil for members.
    public var declaredType: String?
    /// MIME type found from the content.
    public var detectedType: String
    /// Human-readable type (libmagic's description for binary content).
    public var typeDescription: String
    /// The lowercased final extension without the dot (`pdf`), if the name has one.
    public var fileExtension: String?
    public var groups: Set<TypeGroup>
    /// The extension or the declared type says one thing and the content another.
    public var typeMismatch: Bool
    public var nameTricks: FileNameTricks
    public var encrypted: Bool
    /// True when everything in the item was read and its text is complete.
    public var scanned: Bool
    /// Why the item was not fully scanned.
    public var problem: ExtractionProblem?
    /// Text of the item for the detectors (UTF-8; empty for binary content without text).
    public var text: String

    public init(
        path: String, name: String?, depth: Int, size: Int, declaredType: String?,
        detectedType: String, typeDescription: String, fileExtension: String?,
        groups: Set<TypeGroup>, typeMismatch: Bool, nameTricks: FileNameTricks,
        encrypted: Bool, scanned: Bool, problem: ExtractionProblem?, text: String
    ) {
        self.path = path
        self.name = name
        self.depth = depth
        self.size = size
        self.declaredType = declaredType
        self.detectedType = detectedType
        self.typeDescription = typeDescription
        self.fileExtension = fileExtension
        self.groups = groups
        self.typeMismatch = typeMismatch
        self.nameTricks = nameTricks
        self.encrypted = encrypted
        self.scanned = scanned
        self.problem = problem
        self.text = text
    }
}
