// One dictionary file: its name (the file name without `.txt`), where it came from, and its
// lines. Parsing turns lines into terms and `/…/` expressions with their line numbers;
// comments (`#` first) and blank lines are skipped.

import Foundation

/// The contents of one dictionary.
public struct TermList: Sendable, Equatable {
    /// One usable line of a dictionary.
    public enum Entry: Sendable, Equatable {
        case term(String)
        case expression(String)
    }

    public var name: String
    /// The path shown in `file:line:` errors.
    public var file: String
    public var lines: [String]

    public init(name: String, file: String, lines: [String]) {
        self.name = name
        self.file = file
        self.lines = lines
    }

    /// Reads `path`; the dictionary is named after the file.
    public init(contentsOf path: String) throws(DetectError) {
        let url = URL(fileURLWithPath: path)
        let data: Data
        do {
            data = try Data(contentsOf: url)
        } catch {
            throw .io(path: path, operation: "read", errno: Self.errno(of: error))
        }
        let name = url.deletingPathExtension().lastPathComponent
        var lines: [String] = []
        for (index, line) in data.split(separator: 0x0A, omittingEmptySubsequences: false)
            .enumerated()
        {
            guard let text = String(validating: line, as: UTF8.self) else {
                throw .invalidLine(file: path, line: index + 1, message: "not valid UTF-8")
            }
            lines.append(text)
        }
        if lines.last == "" {
            lines.removeLast()
        }
        self.init(name: name, file: path, lines: lines)
    }

    /// The usable lines with their 1-based line numbers.
    public var entries: [(line: Int, entry: Entry)] {
        var result: [(line: Int, entry: Entry)] = []
        for (index, raw) in self.lines.enumerated() {
            guard let entry = Self.entry(raw) else {
                continue
            }
            result.append((index + 1, entry))
        }
        return result
    }

    /// The entry a line holds, or nil for a comment or blank line.
    public static func entry(_ line: String) -> Entry? {
        let text = Self.trimmed(line)
        if text.isEmpty || text.hasPrefix("#") {
            return nil
        }
        if text.utf8.count >= 2 && text.hasPrefix("/") && text.hasSuffix("/") {
            return .expression(String(text.dropFirst().dropLast()))
        }
        return .term(text)
    }

    /// `line` without white space at either end.
    static func trimmed(_ line: String) -> String {
        let scalars = line.unicodeScalars
        guard let first = scalars.first, let last = scalars.last,
            first.properties.isWhitespace || last.properties.isWhitespace
        else {
            return line
        }
        guard let start = scalars.firstIndex(where: { !$0.properties.isWhitespace }),
            let end = scalars.lastIndex(where: { !$0.properties.isWhitespace })
        else {
            return ""
        }
        return String(scalars[start...end])
    }

    static func errno(of error: any Error) -> Int32 {
        let underlying = (error as NSError).userInfo[NSUnderlyingErrorKey] as? NSError
        if let underlying, underlying.domain == NSPOSIXErrorDomain {
            return Int32(underlying.code)
        }
        if (error as NSError).domain == NSPOSIXErrorDomain {
            return Int32((error as NSError).code)
        }
        if (error as NSError).domain == NSCocoaErrorDomain {
            switch (error as NSError).code {
            case NSFileReadNoSuchFileError: return ENOENT
            case NSFileReadNoPermissionError, NSFileWriteNoPermissionError: return EACCES
            default: return 0
            }
        }
        return 0
    }
}
