// Looks at /proc to find processes the harness is responsible for: Postfix daemons working
// inside a private queue directory, files smtp-sink still has open, owners that have died.
// Linux-only, like the rest of the harness.

import Foundation
import Glibc

/// Read-only queries against /proc.
public enum ProcessTable {
    /// True if a process with this id exists and has not exited (zombies count as gone).
    public static func isAlive(_ pid: Int32) -> Bool {
        guard pid > 0, kill(pid, 0) == 0 || errno == EPERM else { return false }
        guard let stat = FileManager.default.contents(atPath: "/proc/\(pid)/stat") else {
            return true
        }
        // The state letter follows the parenthesised command name: "123 (master) S ...".
        let text = String(decoding: stat, as: UTF8.self)
        guard let close = text.lastIndex(of: ")") else { return true }
        let state = text[text.index(after: close)...].drop { $0 == " " }.first
        return state != "Z" && state != "X"
    }

    /// The command line of `pid` with arguments separated by spaces, or nil if it is gone.
    public static func commandLine(_ pid: Int32) -> String? {
        guard let data = FileManager.default.contents(atPath: "/proc/\(pid)/cmdline") else {
            return nil
        }
        let words = data.split(separator: 0).map { String(decoding: $0, as: UTF8.self) }
        return words.joined(separator: " ")
    }

    /// Ids of every process currently listed in /proc.
    public static func allPIDs() -> [Int32] {
        let names = (try? FileManager.default.contentsOfDirectory(atPath: "/proc")) ?? []
        return names.compactMap { Int32($0) }
    }

    /// Processes whose working directory is `directory` or below it. Postfix daemons
    /// chdir into their queue directory, so this finds every daemon of one instance.
    public static func pids(workingUnder directory: String) -> [Int32] {
        let prefix = directory.hasSuffix("/") ? directory : directory + "/"
        return self.allPIDs().filter { pid in
            guard let cwd = self.link("/proc/\(pid)/cwd") else { return false }
            return cwd == directory || cwd.hasPrefix(prefix)
        }
    }

    /// Paths of the regular files `pid` has open.
    public static func openFiles(_ pid: Int32) -> Set<String> {
        let directory = "/proc/\(pid)/fd"
        let names = (try? FileManager.default.contentsOfDirectory(atPath: directory)) ?? []
        return Set(
            names.compactMap { self.link(directory + "/" + $0) }.filter { $0.hasPrefix("/") })
    }

    /// Reads a pid from a file such as Postfix's `pid/master.pid` (leading spaces allowed).
    public static func pid(inFile path: String) -> Int32? {
        guard let data = FileManager.default.contents(atPath: path) else { return nil }
        let text = String(decoding: data, as: UTF8.self)
        return Int32(text.trimmingCharacters(in: .whitespacesAndNewlines))
    }

    private static func link(_ path: String) -> String? {
        var buffer = [CChar](repeating: 0, count: Int(PATH_MAX) + 1)
        let length = readlink(path, &buffer, buffer.count - 1)
        guard length > 0 else { return nil }
        let bytes = buffer[0..<length].map { UInt8(bitPattern: $0) }
        return String(decoding: bytes, as: UTF8.self)
    }
}
