// Changes to the dictionary directory behind `sluice dict`: listing, adding, removing and
// importing terms. Each change takes a lock, validates the new lines exactly as the engine
// would, replaces the file atomically and appends one line to the directory's `.audit.log`.

import Foundation

/// Reads and changes the dictionaries of one directory.
public struct DictionaryStore: Sendable {
    /// One dictionary in a listing.
    public struct Summary: Sendable, Equatable {
        public var name: String
        public var termCount: Int
        public var lastChange: Date?
    }

    /// What a change did, term by term.
    public struct ChangeReport: Sendable, Equatable {
        public var added: [String] = []
        public var removed: [String] = []
        /// Terms already present (in the dictionary or earlier in the same input).
        public var duplicates: [String] = []
        /// Terms asked to be removed that were not there.
        public var notFound: [String] = []
        /// Unusable input lines, each `file:line: error: …`.
        public var invalid: [DetectError] = []
    }

    public static let auditLogName = ".audit.log"

    public let directory: DictionaryDirectory

    public init(path: String) {
        self.directory = DictionaryDirectory(path: path)
    }

    public func list() throws(DetectError) -> [Summary] {
        var summaries: [Summary] = []
        for name in try self.directory.names() {
            let path = self.directory.file(name)
            let list = try TermList(contentsOf: path)
            let attributes = try? FileManager.default.attributesOfItem(atPath: path)
            summaries.append(
                Summary(
                    name: name, termCount: list.entries.count,
                    lastChange: attributes?[.modificationDate] as? Date))
        }
        return summaries
    }

    public func show(_ name: String) throws(DetectError) -> TermList {
        try self.checkName(name)
        guard FileManager.default.fileExists(atPath: self.directory.file(name)) else {
            throw .noSuchDictionary(name)
        }
        return try TermList(contentsOf: self.directory.file(name))
    }

    /// Adds `terms` to dictionary `name`, creating it when missing. `source` labels the input
    /// in errors (`<arguments>` or the imported file); `progress` is told every 10,000 lines.
    public func add(
        _ terms: [String], to name: String, user: String, source: String = "<arguments>",
        progress: (@Sendable (Int, Int) -> Void)? = nil
    ) throws(DetectError) -> ChangeReport {
        try self.checkName(name)
        return try self.locked { () throws(DetectError) -> ChangeReport in
            let path = self.directory.file(name)
            let exists = FileManager.default.fileExists(atPath: path)
            var list = exists ? try TermList(contentsOf: path) : Self.newList(name, path)
            var report = ChangeReport()

            let candidates = TermList(name: name, file: source, lines: terms)
            report.invalid = try PatternSet(lists: [candidates], normalizer: TextNormalizer())
                .problems
            let invalidLines = Set(report.invalid.compactMap(Self.line))
            let normalizer = try TextNormalizer()
            var present = Set(list.entries.map { Self.key($0.entry, normalizer) })
            for (index, line) in terms.enumerated() {
                if let progress, index % 10_000 == 0 && index > 0 {
                    progress(index, terms.count)
                }
                guard let entry = TermList.entry(line), !invalidLines.contains(index + 1) else {
                    continue
                }
                let text = line.trimmingCharacters(in: .whitespaces)
                if present.insert(Self.key(entry, normalizer)).inserted {
                    list.lines.append(text)
                    report.added.append(text)
                } else {
                    report.duplicates.append(text)
                }
            }
            if !report.added.isEmpty {
                try self.save(list, path: path)
                try self.audit(user: user, name: name, added: report.added.count, removed: 0)
            }
            return report
        }
    }

    /// Removes `terms` (compared after normalisation) from dictionary `name`.
    public func remove(
        _ terms: [String], from name: String, user: String
    ) throws(DetectError) -> ChangeReport {
        try self.checkName(name)
        return try self.locked { () throws(DetectError) -> ChangeReport in
            var list = try self.show(name)
            var report = ChangeReport()
            let normalizer = try TextNormalizer()
            for term in terms {
                guard let wanted = TermList.entry(term).map({ Self.key($0, normalizer) }) else {
                    continue
                }
                let before = list.lines.count
                list.lines.removeAll { line in
                    TermList.entry(line).map { Self.key($0, normalizer) } == wanted
                }
                if list.lines.count < before {
                    report.removed.append(term)
                } else {
                    report.notFound.append(term)
                }
            }
            if !report.removed.isEmpty {
                try self.save(list, path: self.directory.file(name))
                try self.audit(user: user, name: name, added: 0, removed: report.removed.count)
            }
            return report
        }
    }

    /// The terms and expressions of dictionary `name`, one per line, without comments.
    public func export(_ name: String) throws(DetectError) -> [String] {
        try self.show(name).lines.filter { TermList.entry($0) != nil }
            .map { $0.trimmingCharacters(in: .whitespaces) }
    }

    /// Every unusable line of every dictionary; empty when all compile together.
    public func check() throws(DetectError) -> [DetectError] {
        DetectionEngine.check(dictionaries: try self.directory.load())
    }

    private func checkName(_ name: String) throws(DetectError) {
        guard DictionaryDirectory.isValidName(name) else {
            throw .invalidName(name)
        }
    }

    private static func newList(_ name: String, _ path: String) -> TermList {
        let header = [
            "# Dictionary '\(name)': one term per line; a line /…/ is a regular expression.",
            "# Reported as keyword:\(name).",
        ]
        return TermList(name: name, file: path, lines: header)
    }

    /// Terms compare by their normalised form, expressions by their text.
    private static func key(_ entry: TermList.Entry, _ normalizer: TextNormalizer) -> String {
        switch entry {
        case .term(let text): return "t:" + normalizer.normalize(text).string
        case .expression(let body): return "e:" + body
        }
    }

    private static func line(_ error: DetectError) -> Int? {
        if case .invalidLine(_, let line, _) = error {
            return line
        }
        return nil
    }

    private func save(_ list: TermList, path: String) throws(DetectError) {
        let text = list.lines.joined(separator: "\n") + "\n"
        try AtomicFile.write(Data(text.utf8), to: path)
    }

    /// Appends `time user=… dictionary=… added=N removed=N` to the audit log.
    private func audit(user: String, name: String, added: Int, removed: Int) throws(DetectError) {
        let path = "\(self.directory.path)/\(Self.auditLogName)"
        let time = ISO8601DateFormatter().string(from: Date())
        let line = "\(time) user=\(user) dictionary=\(name) added=\(added) removed=\(removed)\n"
        let descriptor = open(path, O_WRONLY | O_APPEND | O_CREAT | O_CLOEXEC, 0o640)
        guard descriptor >= 0 else {
            throw .io(path: path, operation: "open", errno: errno)
        }
        defer { close(descriptor) }
        let bytes = Array(line.utf8)
        guard Foundation.write(descriptor, bytes, bytes.count) == bytes.count,
            fsync(descriptor) == 0
        else {
            throw .io(path: path, operation: "write", errno: errno)
        }
    }

    /// Runs `body` holding an exclusive lock on the directory's `.lock` file.
    private func locked<T>(_ body: () throws(DetectError) -> T) throws(DetectError) -> T {
        let path = "\(self.directory.path)/.lock"
        let descriptor = open(path, O_RDWR | O_CREAT | O_CLOEXEC, 0o600)
        guard descriptor >= 0 else {
            throw .io(path: path, operation: "open", errno: errno)
        }
        defer { close(descriptor) }
        guard flock(descriptor, LOCK_EX) == 0 else {
            throw .io(path: path, operation: "lock", errno: errno)
        }
        return try body()
    }
}
