// Keeps /etc/postfix/main.cf's alternate_config_directories listing every private Postfix
// config directory in use. Several test processes may edit it at once, so each edit holds an
// flock on a shared lock file, keeps every other line as it was, and replaces the file by
// rename so Postfix never reads half a file.

import Foundation
import Glibc

enum AlternateConfigDirectories {
    static let mainCF = "/etc/postfix/main.cf"
    static let parameter = "alternate_config_directories"
    static let lockPath =
        FileManager.default.fileExists(atPath: "/run/lock")
        ? "/run/lock/sluice-test-postfix-main-cf.lock" : "/tmp/sluice-test-postfix-main-cf.lock"

    /// Adds `directory`, dropping entries left behind by harness folders that are gone.
    static func add(_ directory: String, ownedPrefix: String) throws {
        try self.update { entries in
            let live = entries.filter { !self.isStale($0, ownedPrefix: ownedPrefix) }
            return live.contains(directory) ? live : live + [directory]
        }
    }

    static func remove(_ directory: String, ownedPrefix: String) throws {
        try self.update { entries in
            entries.filter { $0 != directory && !self.isStale($0, ownedPrefix: ownedPrefix) }
        }
    }

    /// The entries currently listed, for diagnostics.
    static func current() -> [String] {
        let text = (try? String(contentsOfFile: self.mainCF, encoding: .utf8)) ?? ""
        return self.split(text).entries
    }

    private static func isStale(_ entry: String, ownedPrefix: String) -> Bool {
        entry.hasPrefix(ownedPrefix) && !FileManager.default.fileExists(atPath: entry)
    }

    private static func update(_ transform: ([String]) -> [String]) throws {
        let lock = try self.acquireLock()
        defer { close(lock) }

        let existing: String
        if FileManager.default.fileExists(atPath: self.mainCF) {
            existing = try String(contentsOfFile: self.mainCF, encoding: .utf8)
        } else {
            existing =
                "# Created by the Sluice test harness so that private Postfix instances\n"
                + "# can be started with postfix -c.\ncompatibility_level = 3.6\n"
        }
        let parts = self.split(existing)
        let entries = transform(parts.entries)
        if entries == parts.entries && FileManager.default.fileExists(atPath: self.mainCF) {
            return
        }
        let rendered = parts.before + self.render(entries) + parts.after
        try self.replaceMainCF(with: rendered.joined(separator: "\n") + "\n")
    }

    /// Splits main.cf into the lines before the parameter, its entries, and the lines after.
    /// A parameter's value may continue on following lines that start with whitespace.
    static func split(_ text: String) -> (before: [String], entries: [String], after: [String]) {
        var lines = text.components(separatedBy: "\n")
        if lines.last == "" {
            lines.removeLast()
        }
        guard let start = lines.firstIndex(where: { self.names($0, self.parameter) }) else {
            return (lines, [], [])
        }
        var end = start + 1
        while end < lines.count, let first = lines[end].first, first == " " || first == "\t" {
            end += 1
        }
        let value = lines[start..<end].joined(separator: " ")
            .drop { $0 != "=" }.dropFirst()
        let entries = value.split { $0 == "," || $0 == " " || $0 == "\t" }.map(String.init)
        return (Array(lines[..<start]), entries, Array(lines[end...]))
    }

    private static func names(_ line: String, _ name: String) -> Bool {
        guard line.hasPrefix(name) else { return false }
        let rest = line.dropFirst(name.count).drop { $0 == " " || $0 == "\t" }
        return rest.first == "="
    }

    private static func render(_ entries: [String]) -> [String] {
        guard !entries.isEmpty else {
            return ["\(self.parameter) ="]
        }
        return ["\(self.parameter) ="] + entries.map { "    \($0)," }
    }

    private static func replaceMainCF(with text: String) throws {
        let temporary = "\(self.mainCF).sluice-\(getpid())"
        guard
            FileManager.default.createFile(
                atPath: temporary, contents: Data(text.utf8),
                attributes: [.posixPermissions: 0o644])
        else {
            throw HarnessError.system("create", subject: temporary)
        }
        // Aged so Postfix does not wait for a "still changing" file (see PrivatePostfix).
        try? PrivatePostfix.backdate(temporary)
        guard rename(temporary, self.mainCF) == 0 else {
            let error = HarnessError.system("rename", subject: self.mainCF)
            unlink(temporary)
            throw error
        }
    }

    private static func acquireLock() throws -> Int32 {
        let descriptor = open(self.lockPath, O_RDWR | O_CREAT | O_CLOEXEC, 0o666)
        guard descriptor >= 0 else {
            throw HarnessError.system("open", subject: self.lockPath)
        }
        let locked = waitFor(timeout: 30, pollInterval: 0.01) {
            flock(descriptor, LOCK_EX | LOCK_NB) == 0
        }
        guard locked else {
            close(descriptor)
            throw HarnessError(
                .timeout, subject: self.lockPath, problem: "lock held by another process",
                detail: "waited 30 s")
        }
        return descriptor
    }
}
