// Log lines for the daemon, to syslog or standard error. A decision is one line that starts
// with the queue id and continues with `key=value` pairs; routine steps are debug. Callers
// never pass message content or unmasked identifiers here.

import Foundation
import SluicePolicy
import Synchronization

#if canImport(Glibc)
import Glibc
#endif

/// Writes log lines at or above a level to syslog or standard error.
public final class Logger: Sendable {
    private let target: LogTarget
    private let level: Mutex<LogLevel>
    private let identity: String

    /// Opens the log. For syslog, `openlog` is called once with the facility given.
    public init(settings: LogSettings, identity: String = "sluice") {
        self.target = settings.target
        self.level = Mutex(settings.level)
        self.identity = identity
        if settings.target == .syslog {
            // openlog keeps the pointer: hand it storage that is never freed.
            openlog(strdup(identity), LOG_PID | LOG_NDELAY, Self.facility(settings.facility))
        }
    }

    /// Changes the level, for a reloaded configuration.
    public func setLevel(_ level: LogLevel) {
        self.level.withLock { $0 = level }
    }

    public func error(_ message: String) { self.write(.error, message) }
    public func warning(_ message: String) { self.write(.warning, message) }
    public func info(_ message: String) { self.write(.info, message) }
    public func debug(_ message: String) { self.write(.debug, message) }

    /// Whether `level` is logged, so callers can skip building expensive lines.
    public func isEnabled(_ level: LogLevel) -> Bool {
        level <= self.level.withLock { $0 }
    }

    public func write(_ level: LogLevel, _ message: String) {
        guard self.isEnabled(level) else {
            return
        }
        switch self.target {
        case .syslog:
            withVaList([message]) { vsyslog(Self.priority(level), "%s", $0) }
        case .stderr:
            let prefix = level == .info ? "" : "\(level.rawValue): "
            FileHandle.standardError.write(Data("\(self.identity): \(prefix)\(message)\n".utf8))
        }
    }

    private static func priority(_ level: LogLevel) -> Int32 {
        switch level {
        case .error: return LOG_ERR
        case .warning: return LOG_WARNING
        case .info: return LOG_INFO
        case .debug: return LOG_DEBUG
        }
    }

    private static func facility(_ facility: LogFacility) -> Int32 {
        switch facility {
        case .mail: return LOG_MAIL
        case .daemon: return LOG_DAEMON
        case .user: return LOG_USER
        case .local0: return LOG_LOCAL0
        case .local1: return LOG_LOCAL1
        case .local2: return LOG_LOCAL2
        case .local3: return LOG_LOCAL3
        case .local4: return LOG_LOCAL4
        case .local5: return LOG_LOCAL5
        case .local6: return LOG_LOCAL6
        case .local7: return LOG_LOCAL7
        }
    }
}
