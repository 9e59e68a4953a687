// Last-resort cleanup when a test process exits while servers are still running (a test that
// kept an instance in a global, or a suite aborted between start and stop). Crashes and
// SIGKILL skip this; OrphanReaper handles those on the next run.

import Foundation
import Glibc

enum ExitCleanup {
    private static let actions = Locked<(installed: Bool, byID: [Int: @Sendable () -> Void])>(
        (false, [:]))
    private static let nextID = Locked(0)

    /// Remembers `action` until `cancel` is called; runs it at process exit otherwise.
    static func register(_ action: @escaping @Sendable () -> Void) -> Int {
        let id = self.nextID.withLock { value -> Int in
            value += 1
            return value
        }
        let mustInstall = self.actions.withLock { state -> Bool in
            state.byID[id] = action
            defer { state.installed = true }
            return !state.installed
        }
        if mustInstall {
            atexit { ExitCleanup.runAll() }
        }
        return id
    }

    static func cancel(_ id: Int) {
        _ = self.actions.withLock { $0.byID.removeValue(forKey: id) }
    }

    private static func runAll() {
        let pending = self.actions.withLock { state -> [@Sendable () -> Void] in
            defer { state.byID = [:] }
            return Array(state.byID.values)
        }
        for action in pending {
            action()
        }
    }
}
