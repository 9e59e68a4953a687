// Cleans up after test processes that crashed before they could stop their servers. Each
// harness folder records the pid of the test process that owns it; a folder whose owner is
// gone is an orphan, and the next harness start stops its servers and deletes it.

import Foundation
import Glibc

enum OrphanReaper {
    static let ownerFile = "owner.pid"

    /// Marks `directory` as owned by this process.
    static func claim(_ directory: TemporaryDirectory) throws {
        let text = "\(getpid())\n"
        guard
            FileManager.default.createFile(
                atPath: directory.appending(self.ownerFile), contents: Data(text.utf8))
        else {
            throw HarnessError.system("create", subject: directory.appending(self.ownerFile))
        }
    }

    /// Folders `/tmp/<prefix>*` whose owning test process no longer runs.
    static func orphans(prefix: String) -> [String] {
        let names = (try? FileManager.default.contentsOfDirectory(atPath: "/tmp")) ?? []
        return names.filter { $0.hasPrefix(prefix) }.map { "/tmp/" + $0 }.filter { path in
            guard let owner = ProcessTable.pid(inFile: path + "/" + self.ownerFile) else {
                return false
            }
            return owner != getpid() && !ProcessTable.isAlive(owner)
        }
    }

    /// Kills `pid` if it is alive and its command line contains `expected`.
    static func killIfMatching(_ pid: Int32?, expected: String) {
        guard let pid, ProcessTable.isAlive(pid),
            ProcessTable.commandLine(pid)?.contains(expected) == true
        else {
            return
        }
        kill(pid, SIGKILL)
    }
}
