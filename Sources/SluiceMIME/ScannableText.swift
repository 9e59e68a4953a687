// The texts detectors read for one message, each labelled with where it came from so that a
// finding can say "subject" or "body 1.2" instead of pointing into raw MIME.

/// Where a scannable text came from.
public enum TextSource: Sendable, Hashable, CustomStringConvertible {
    /// The top-level Subject.
    case subject
    /// Another header field (`from`, `to`, `subject` of an encapsulated message, …) of the
    /// entity at `path`.
    case header(name: String, path: String)
    /// The decoded text of the part at `path` (HTML already reduced to text).
    case body(path: String)
    /// The decoded file name of the part at `path`.
    case filename(path: String)
    /// Text before the first boundary of the multipart at `path`.
    case preamble(path: String)
    /// Text after the closing boundary of the multipart at `path`.
    case epilogue(path: String)
    /// Raw content under `path` that was not parsed because a limit was reached.
    case unparsed(path: String)

    public var description: String {
        switch self {
        case .subject: return "subject"
        case .header(let name, let path):
            return path == "1" ? "header:\(name)" : "header:\(name)@\(path)"
        case .body(let path): return "body:\(path)"
        case .filename(let path): return "filename:\(path)"
        case .preamble(let path): return "preamble:\(path)"
        case .epilogue(let path): return "epilogue:\(path)"
        case .unparsed(let path): return "unparsed:\(path)"
        }
    }

    /// The part the text belongs to, if any.
    public var path: String? {
        switch self {
        case .subject: return nil
        case .header(_, let path), .body(let path), .filename(let path), .preamble(let path),
            .epilogue(let path), .unparsed(let path):
            return path
        }
    }
}

/// A text the detectors should read, in UTF-8, with its source.
public struct ScannableText: Sendable, Hashable {
    public var source: TextSource
    public var text: String

    public init(source: TextSource, text: String) {
        self.source = source
        self.text = text
    }
}
