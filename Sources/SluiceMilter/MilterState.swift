// What every connection reads at end of message: the inspector and the settings in force.
// A reload builds a new value and swaps it whole; messages already being inspected finish
// with the one they started with.

import Foundation
import SluiceNotify
import SluicePolicy
import SluiceStore
import Synchronization

/// The configuration-derived state shared by all connections.
struct MilterState: Sendable {
    var inspector: any MessageInspector
    var settings: MilterSettings
    var policy: PolicySettings
    /// Where decisions are recorded; nil without `[audit] path`.
    var audit: AuditLog?
    /// The notification queue; nil when no rule notifies anyone.
    var notifier: Notifier?
    /// Sluice's quarantine; nil when held mail goes to Postfix's hold queue.
    var quarantine: QuarantineStore? = nil
    /// The configuration these came from, for notification routing.
    var configuration: Configuration
    /// When this state was built, and digests of the configuration file and dictionaries.
    var loaded = Date()
    var configDigest = ""
    var dictionaryDigest = ""
}

/// The state in force, swapped atomically on reload.
final class MilterRuntime: Sendable {
    let logger: Logger
    /// One alert per sender, volume rule and window, across reloads.
    let alerts = AlertGate()
    let metrics = Metrics()
    private let state: Mutex<MilterState>

    init(state: MilterState, logger: Logger) {
        self.state = Mutex(state)
        self.logger = logger
    }

    var current: MilterState {
        self.state.withLock { $0 }
    }

    func replace(_ state: MilterState) {
        self.state.withLock { $0 = state }
    }
}
