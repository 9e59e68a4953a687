// Errors found while reading sluice.conf.
// Every error names the file and line (and the key where there is one), so an administrator
// can go straight to the mistake, the way `postfix check` does.

/// A problem in a configuration file: where it is and what is wrong.
public struct ConfigError: Error, CustomStringConvertible, Equatable, Sendable {
    /// The file the problem is in.
    public var file: String
    /// The 1-based line number, or 0 when the problem is with the file as a whole.
    public var line: Int
    /// The 1-based column, for errors inside a value such as a rule condition.
    public var column: Int?
    /// The key involved, if any.
    public var key: String?
    /// What is wrong, in a few words.
    public var message: String

    public init(
        file: String, line: Int, column: Int? = nil, key: String? = nil, message: String
    ) {
        self.file = file
        self.line = line
        self.column = column
        self.key = key
        self.message = message
    }

    /// `FILE:LINE:COLUMN: KEY: problem`, leaving out what is not known.
    public var description: String {
        var text = self.file
        if self.line > 0 {
            text += ":\(self.line)"
            if let column = self.column {
                text += ":\(column)"
            }
        }
        if let key = self.key {
            text += ": \(key)"
        }
        return text + ": " + self.message
    }
}
