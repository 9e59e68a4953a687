// The one error type of SluiceDetect: a dictionary line that cannot be used, a dictionary
// directory that cannot be read or written, or a matcher that would not compile. Descriptions
// read `subject: problem: detail`; dictionary problems start with `file:line:`.

import Foundation

/// Why detection could not be set up or a dictionary could not be changed.
public enum DetectError: Error, Equatable, Sendable, CustomStringConvertible {
    /// One line of a dictionary file is unusable (bad regex, empty after folding, …).
    case invalidLine(file: String, line: Int, message: String)
    /// A file or directory operation failed; `errno` is kept when there was one.
    case io(path: String, operation: String, errno: Int32)
    /// A dictionary name that is not `[a-z0-9][a-z0-9_-]*`, or one that does not exist.
    case invalidName(String)
    case noSuchDictionary(String)
    /// Hyperscan refused the whole pattern set for a reason not tied to one line.
    case compileFailed(String)
    /// OpenCC could not be opened with the named configuration.
    case converterUnavailable(String)

    public var description: String {
        switch self {
        case .invalidLine(let file, let line, let message):
            return "\(file):\(line): error: \(message)"
        case .io(let path, let operation, let errno):
            let reason = errno == 0 ? "failed" : String(cString: strerror(errno))
            return "\(path): \(operation): \(reason)"
        case .invalidName(let name):
            return "dictionary '\(name)': invalid name: use lowercase letters, digits, - and _"
        case .noSuchDictionary(let name):
            return "dictionary '\(name)': not found"
        case .compileFailed(let message):
            return "matcher: compile failed: \(message)"
        case .converterUnavailable(let config):
            return "opencc: cannot open configuration: \(config)"
        }
    }
}
