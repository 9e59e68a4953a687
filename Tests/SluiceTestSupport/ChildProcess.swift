// A child process started by the harness (smtp-sink, a milter daemon under test) that a test
// can signal, stop politely (SIGTERM, then SIGKILL after a grace period) or kill outright.
// Exit is detected with waitid(WNOWAIT): Foundation's own notice comes only once every
// process holding its hidden socket has closed it, which a daemonising child delays.

import Foundation
import Glibc

/// A running or finished child process, safe to stop from any thread.
public final class ChildProcess: @unchecked Sendable {
    private typealias State = (finished: Bool, status: Int32?)

    private let process: Process
    private let state: Locked<State>

    /// The command line, for error messages.
    public let commandLine: String
    public let pid: Int32

    private init(process: Process, commandLine: String, state: Locked<State>) {
        self.process = process
        self.state = state
        self.commandLine = commandLine
        self.pid = process.processIdentifier
    }

    static func launch(
        _ command: String, _ arguments: [String], environment: [String: String]?,
        input: Data?, standardOutputPath: String, standardErrorPath: String
    ) throws -> ChildProcess {
        let executable = try ProcessRunner.resolve(command)
        let process = Process()
        process.executableURL = URL(fileURLWithPath: executable)
        process.arguments = arguments
        if let environment {
            process.environment = environment
        }
        process.standardOutput = try Self.appendHandle(standardOutputPath)
        process.standardError =
            standardErrorPath == standardOutputPath
            ? process.standardOutput : try Self.appendHandle(standardErrorPath)
        process.standardInput = try Self.inputHandle(input)

        let commandLine = ([executable] + arguments).joined(separator: " ")
        let state = Locked<State>((false, nil))
        process.terminationHandler = { finished in
            let status = finished.terminationStatus
            state.withLock { $0 = (true, status) }
        }
        do {
            try process.run()
        } catch {
            throw HarnessError(
                .processFailed, subject: commandLine, problem: "cannot start",
                detail: "\(error)")
        }
        return ChildProcess(process: process, commandLine: commandLine, state: state)
    }

    /// True until the child has exited.
    public var isRunning: Bool {
        !self.hasExited()
    }

    /// The exit status (or terminating signal number), once the child has exited.
    public var exitStatus: Int32? {
        _ = self.hasExited()
        return self.state.current.status
    }

    /// Checks for exit without reaping, so Foundation can still reap the child itself.
    private func hasExited() -> Bool {
        if self.state.current.finished {
            return true
        }
        var info = siginfo_t()
        let result = waitid(P_PID, id_t(self.pid), &info, WEXITED | WNOHANG | WNOWAIT)
        if result == -1 && errno == ECHILD {
            // Already reaped by Foundation; its termination handler records the status.
            return waitFor(timeout: 1, pollInterval: 0.005) { self.state.current.finished }
        }
        guard result == 0, info._sifields._sigchld.si_pid == self.pid else {
            return false
        }
        let status = info._sifields._sigchld.si_status
        self.state.withLock { $0 = (true, $0.status ?? status) }
        return true
    }

    /// Waits up to `timeout` seconds for the child to exit; true if it did.
    @discardableResult
    public func waitForExit(timeout: TimeInterval) -> Bool {
        waitFor(timeout: timeout, pollInterval: 0.005) { !self.isRunning }
    }

    /// Sends `signal` (for example `SIGKILL` to simulate a crashed daemon).
    public func kill(_ signal: Int32) {
        guard self.isRunning else { return }
        _ = Glibc.kill(self.pid, signal)
    }

    /// SIGTERM, then SIGKILL if the child is still running after `grace` seconds.
    /// Returns the exit status, or nil if even SIGKILL did not end it within 5 seconds.
    @discardableResult
    public func stop(grace: TimeInterval = 5) -> Int32? {
        self.kill(SIGTERM)
        if !self.waitForExit(timeout: grace) {
            self.kill(SIGKILL)
            self.waitForExit(timeout: 5)
        }
        return self.exitStatus
    }

    deinit {
        if self.isRunning {
            _ = Glibc.kill(self.pid, SIGKILL)
        }
    }

    private static func appendHandle(_ path: String) throws -> FileHandle {
        let descriptor = open(path, O_WRONLY | O_CREAT | O_APPEND | O_CLOEXEC, 0o644)
        guard descriptor >= 0 else {
            throw HarnessError.system("open", subject: path)
        }
        return FileHandle(fileDescriptor: descriptor, closeOnDealloc: true)
    }

    private static func inputHandle(_ input: Data?) throws -> Any {
        guard let input else {
            return FileHandle.nullDevice
        }
        let pipe = Pipe()
        let writer = pipe.fileHandleForWriting
        Thread.detachNewThread {
            try? writer.write(contentsOf: input)
            try? writer.close()
        }
        return pipe
    }
}
