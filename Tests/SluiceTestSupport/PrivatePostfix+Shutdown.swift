// Stopping a private Postfix for good: polite stop, forced abort, then SIGKILL for any daemon
// still working in the instance's queue directory. Also reaps instances whose test process
// died without stopping them.

import Foundation
import Glibc

extension PrivatePostfix {
    /// Stops every process of the instance laid out at `layout` and deletes its folder.
    static func shutDown(_ layout: Layout) {
        let configArguments = ["-c", layout.configDirectory]
        if let master = ProcessTable.pid(inFile: layout.queueDirectory + "/pid/master.pid"),
            ProcessTable.isAlive(master)
        {
            _ = try? ProcessRunner.run("postfix", configArguments + ["stop"], timeout: 15)
            if !waitFor(timeout: 10, { !ProcessTable.isAlive(master) }) {
                _ = try? ProcessRunner.run("postfix", configArguments + ["abort"], timeout: 10)
                kill(master, SIGKILL)
            }
        }

        // Daemons notice their master is gone within a moment; do not wait long for them.
        let daemonsGone = waitFor(timeout: 5) {
            ProcessTable.pids(workingUnder: layout.queueDirectory).isEmpty
        }
        if !daemonsGone {
            for pid in ProcessTable.pids(workingUnder: layout.queueDirectory) {
                kill(pid, SIGKILL)
            }
            waitFor(timeout: 2) { ProcessTable.pids(workingUnder: layout.queueDirectory).isEmpty }
        }

        try? AlternateConfigDirectories.remove(
            layout.configDirectory, ownedPrefix: "/tmp/" + self.folderPrefix)
        try? FileManager.default.removeItem(atPath: layout.root)
    }

    /// Shuts down instances left behind by test processes that no longer run.
    static func reapOrphans() {
        for folder in OrphanReaper.orphans(prefix: self.folderPrefix) {
            self.shutDown(Layout(root: folder, smtpPort: 0))
        }
    }
}
