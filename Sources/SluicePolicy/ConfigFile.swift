// The INI syntax of sluice.conf: `[section]` headers, `key = value` lines, `#` comments and
// continuation lines that start with white space. Only the syntax lives here; what keys mean
// and which are allowed is `Configuration`'s business.

import Foundation

/// One `key = value` line of a configuration file.
public struct ConfigEntry: Equatable, Sendable {
    public var key: String
    public var value: String
    public var line: Int
    /// The 1-based column where the value starts on its line, for errors inside values.
    public var column: Int = 1
}

/// One `[name]` section with its entries in file order.
public struct ConfigSection: Equatable, Sendable {
    /// The text between the brackets, with inner white space collapsed (`rule block-exe`).
    public var name: String
    public var line: Int
    public var entries: [ConfigEntry]
}

/// A parsed configuration file, before its keys are interpreted.
public struct ConfigFile: Equatable, Sendable {
    public var path: String
    public var sections: [ConfigSection]

    /// Reads and parses the file at `path`.
    public static func load(path: String) throws(ConfigError) -> ConfigFile {
        // A file handle also reads devices and pipes (/dev/null, process substitution).
        guard let handle = FileHandle(forReadingAtPath: path),
            let data = try? handle.readToEnd() ?? Data()
        else {
            throw ConfigError(file: path, line: 0, message: "cannot read file")
        }
        guard let text = String(data: data, encoding: .utf8) else {
            throw ConfigError(file: path, line: 0, message: "file is not valid UTF-8")
        }
        return try self.parse(text, path: path)
    }

    /// Parses configuration text; `path` is used in error messages.
    public static func parse(_ text: String, path: String) throws(ConfigError) -> ConfigFile {
        var sections: [ConfigSection] = []
        var lineNumber = 0

        for rawLine in text.split(separator: "\n", omittingEmptySubsequences: false) {
            lineNumber += 1
            let line = rawLine.hasSuffix("\r") ? rawLine.dropLast() : rawLine
            let trimmed = line.trimmingCharacters(in: .whitespaces)
            if trimmed.isEmpty || trimmed.hasPrefix("#") {
                continue
            }

            // A line that starts with white space continues the previous value.
            if line.first == " " || line.first == "\t" {
                guard let last = sections.indices.last, !sections[last].entries.isEmpty else {
                    throw ConfigError(
                        file: path, line: lineNumber,
                        message: "continuation line without a preceding key")
                }
                let index = sections[last].entries.count - 1
                let previous = sections[last].entries[index].value
                sections[last].entries[index].value =
                    previous.isEmpty ? trimmed : previous + " " + trimmed
                continue
            }

            if trimmed.hasPrefix("[") {
                sections.append(try self.sectionHeader(trimmed, path: path, line: lineNumber))
                continue
            }

            var entry = try self.entry(trimmed, path: path, line: lineNumber)
            entry.column += line.prefix { $0 == " " || $0 == "\t" }.count
            guard let last = sections.indices.last else {
                throw ConfigError(
                    file: path, line: lineNumber, key: entry.key,
                    message: "key outside any [section]")
            }
            if sections[last].entries.contains(where: { $0.key == entry.key }) {
                throw ConfigError(
                    file: path, line: lineNumber, key: entry.key,
                    message: "key given twice in [\(sections[last].name)]")
            }
            sections[last].entries.append(entry)
        }
        return ConfigFile(path: path, sections: sections)
    }

    private static func sectionHeader(
        _ text: String, path: String, line: Int
    ) throws(ConfigError) -> ConfigSection {
        guard text.hasSuffix("]") else {
            throw ConfigError(file: path, line: line, message: "section header lacks ']'")
        }
        let name = text.dropFirst().dropLast()
            .split(whereSeparator: { $0 == " " || $0 == "\t" })
            .joined(separator: " ")
        guard !name.isEmpty else {
            throw ConfigError(file: path, line: line, message: "empty section name")
        }
        return ConfigSection(name: name, line: line, entries: [])
    }

    private static func entry(
        _ text: String, path: String, line: Int
    ) throws(ConfigError) -> ConfigEntry {
        guard let equals = text.firstIndex(of: "=") else {
            throw ConfigError(
                file: path, line: line, message: "expected 'key = value', found '\(text)'")
        }
        let key = text[..<equals].trimmingCharacters(in: .whitespaces)
        let afterEquals = text[text.index(after: equals)...]
        let value = afterEquals.trimmingCharacters(in: .whitespaces)
        let leading = afterEquals.prefix { $0 == " " || $0 == "\t" }.count
        let column = text.distance(from: text.startIndex, to: equals) + 2 + leading
        let allowed = key.unicodeScalars.allSatisfy {
            ($0.properties.isAlphabetic && $0.isASCII) || ("0"..."9").contains($0)
                || $0 == "_" || $0 == "-" || $0 == "." || $0 == ":"
        }
        guard !key.isEmpty, allowed else {
            throw ConfigError(file: path, line: line, message: "invalid key name '\(key)'")
        }
        return ConfigEntry(key: key, value: value, line: line, column: column)
    }
}
