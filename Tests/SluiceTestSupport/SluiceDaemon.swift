// Starts the real `sluice milter` for a test: writes a configuration into a scratch
// folder, runs the built binary in the foreground with its log on a file, and waits until
// the milter socket accepts connections.

import Foundation
import Glibc

/// The `sluice` binary built next to the test bundle (or `SLUICE_BINARY`).
public enum SluiceBinary {
    public static var path: String {
        if let override = ProcessInfo.processInfo.environment["SLUICE_BINARY"] {
            return override
        }
        let executable =
            (try? FileManager.default.destinationOfSymbolicLink(
                atPath: "/proc/self/exe")) ?? CommandLine.arguments[0]
        return URL(fileURLWithPath: executable).deletingLastPathComponent()
            .appendingPathComponent("sluice").path
    }

    /// Runs `sluice` with `arguments` to completion.
    public static func run(
        _ arguments: [String], input: Data? = nil, timeout: TimeInterval = 60
    ) throws -> ProcessResult {
        try ProcessRunner.run(self.path, arguments, input: input, timeout: timeout)
    }
}

/// A running `sluice milter` with its own configuration and socket.
public final class SluiceDaemon: Sendable {
    public let directory: TemporaryDirectory
    public let configPath: String
    public let socketPath: String
    public let logPath: String
    private let process: Locked<ChildProcess?>

    /// The socket in Postfix's `smtpd_milters` notation.
    public var socketSpec: String { "unix:\(self.socketPath)" }

    /// Everything the daemon logged so far.
    public var log: String {
        (try? String(contentsOfFile: self.logPath, encoding: .utf8)) ?? ""
    }

    public var isRunning: Bool {
        self.process.withLock { $0?.isRunning ?? false }
    }

    /// Writes a configuration made of the test's sections plus a `[milter]` and `[log]`
    /// section pointing into the scratch folder, and starts the daemon. `milter` lines are
    /// added to the `[milter]` section.
    public init(sections: String = "", milter: [String] = []) throws {
        self.directory = try TemporaryDirectory(prefix: "sluice-milter-")
        self.configPath = self.directory.appending("sluice.conf")
        self.socketPath = self.directory.appending("sluice.sock")
        self.logPath = self.directory.appending("sluice.log")
        self.process = Locked(nil)
        let spool = try self.directory.makeSubdirectory("spool", mode: 0o700)
        let configuration = """
            [milter]
            socket = unix:\(self.socketPath)
            socket_mode = 0666
            spool_directory = \(spool)
            control_socket = \(self.directory.appending("control.sock"))
            stop_timeout = 2s
            \(milter.joined(separator: "\n"))

            [log]
            target = stderr
            level = debug

            \(sections)
            """
            + (sections.contains("[volume]")
                ? "" : "\n[volume]\nstate_file = \(self.directory.appending("volume.state"))\n")
            + (sections.contains("[quarantine]")
                ? "" : "\n[quarantine]\npath = \(self.directory.appending("quarantine"))\n")
        try configuration.write(toFile: self.configPath, atomically: true, encoding: .utf8)
        try self.start()
    }

    /// Starts (or restarts) the daemon and waits for its socket.
    public func start() throws {
        let child = try ProcessRunner.start(
            SluiceBinary.path, ["milter", "--config", self.configPath, "--foreground"],
            logPath: self.logPath)
        self.process.withLock { $0 = child }
        try waitOrThrow("sluice milter socket \(self.socketPath)", timeout: 20) {
            guard child.isRunning else {
                throw HarnessError(
                    .processFailed, subject: "sluice milter", problem: "exited at start",
                    detail: self.log)
            }
            return Self.accepts(self.socketPath)
        }
    }

    /// Stops the daemon with SIGSTOP and waits until every one of its threads is stopped, so
    /// the next connection meets a daemon that cannot answer; false if it did not stop in 5 s.
    @discardableResult
    public func stall() -> Bool {
        guard let pid = self.process.withLock({ $0?.pid }) else { return false }
        kill(pid, SIGSTOP)
        return waitFor(timeout: 5, pollInterval: 0.005) {
            let tasks =
                (try? FileManager.default.contentsOfDirectory(atPath: "/proc/\(pid)/task")) ?? []
            return !tasks.isEmpty
                && tasks.allSatisfy { task in
                    let stat = ProcessRunner.readText(atPath: "/proc/\(pid)/task/\(task)/stat")
                    // The state follows the parenthesised command name.
                    guard let close = stat.lastIndex(of: ")") else { return false }
                    return stat[stat.index(after: close)...].trimmingPrefix(" ").first == "T"
                }
        }
    }

    /// Sends `signal` to the daemon.
    public func signal(_ signal: Int32) {
        self.process.withLock { $0?.kill(signal) }
    }

    /// Waits for the daemon to exit; returns its status, or nil if it is still running.
    public func waitForExit(timeout: TimeInterval) -> Int32? {
        self.process.withLock { process -> Int32? in
            guard let process, process.waitForExit(timeout: timeout) else {
                return nil
            }
            return process.exitStatus
        }
    }

    /// Stops the daemon (SIGTERM, then SIGKILL) and removes its folder.
    public func stop() {
        self.process.withLock { _ = $0?.stop(grace: 5) }
        self.directory.remove()
    }

    /// Whether something accepts TCP connections on 127.0.0.1:`port`.
    public static func acceptsTCP(port: UInt16) -> Bool {
        let descriptor = socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
        guard descriptor >= 0 else {
            return false
        }
        defer { close(descriptor) }
        var address = sockaddr_in()
        address.sin_family = sa_family_t(AF_INET)
        address.sin_port = port.bigEndian
        address.sin_addr.s_addr = UInt32(0x7F00_0001).bigEndian
        return withUnsafePointer(to: &address) { pointer in
            pointer.withMemoryRebound(to: sockaddr.self, capacity: 1) {
                connect(descriptor, $0, socklen_t(MemoryLayout<sockaddr_in>.size)) == 0
            }
        }
    }

    /// Whether something accepts connections on the unix socket at `path`.
    public static func accepts(_ path: String) -> Bool {
        let descriptor = socket(AF_UNIX, Int32(SOCK_STREAM.rawValue), 0)
        guard descriptor >= 0 else {
            return false
        }
        defer { close(descriptor) }
        var address = sockaddr_un()
        address.sun_family = sa_family_t(AF_UNIX)
        let bytes = Array(path.utf8)
        guard bytes.count < MemoryLayout.size(ofValue: address.sun_path) else {
            return false
        }
        withUnsafeMutableBytes(of: &address.sun_path) { buffer in
            for (index, byte) in bytes.enumerated() {
                buffer[index] = byte
            }
        }
        let length = socklen_t(MemoryLayout<sockaddr_un>.size)
        return withUnsafePointer(to: &address) { pointer in
            pointer.withMemoryRebound(to: sockaddr.self, capacity: 1) {
                connect(descriptor, $0, length) == 0
            }
        }
    }
}
