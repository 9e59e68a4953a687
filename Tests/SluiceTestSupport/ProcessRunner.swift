// Runs helper programs (postfix, postqueue, smtp-sink, the sluice binary) for tests, with a
// hard timeout. Output goes to temporary files, not pipes, so a chatty or daemonising child
// can never block on a full pipe or hold the harness waiting for EOF.

import Foundation
import Glibc

/// What a finished command produced.
public struct ProcessResult: Sendable, Equatable {
    public let status: Int32
    public let standardOutput: String
    public let standardError: String
    /// True when the command was killed because it ran past its timeout.
    public let timedOut: Bool

    public var succeeded: Bool {
        self.status == 0 && !self.timedOut
    }

    /// Standard output and standard error together, for error messages.
    public var combinedOutput: String {
        [self.standardOutput, self.standardError]
            .filter { !$0.isEmpty }
            .joined(separator: "\n")
    }
}

/// Runs commands to completion, or starts long-running children.
public enum ProcessRunner {
    /// Runs `command` (a path, or a name looked up in `PATH` and the sbin directories)
    /// and waits at most `timeout` seconds; a command that overruns is killed.
    public static func run(
        _ command: String, _ arguments: [String] = [],
        environment: [String: String]? = nil, input: Data? = nil,
        timeout: TimeInterval = 30
    ) throws -> ProcessResult {
        // The files are unlinked as soon as both sides hold them open, so even a test
        // process killed mid-command leaves nothing behind.
        let scratch = try TemporaryDirectory(prefix: "sluice-run-", mode: 0o700)
        let outputPath = scratch.appending("stdout")
        let errorPath = scratch.appending("stderr")
        let child: ChildProcess
        let readers: [FileHandle]
        do {
            defer { scratch.remove() }
            child = try ChildProcess.launch(
                command, arguments, environment: environment, input: input,
                standardOutputPath: outputPath, standardErrorPath: errorPath)
            readers = try [outputPath, errorPath].map {
                try FileHandle(forReadingFrom: URL(fileURLWithPath: $0))
            }
        }

        let finished = child.waitForExit(timeout: timeout)
        if !finished {
            child.stop(grace: 1)
        }
        let texts = readers.map { reader in
            defer { try? reader.close() }
            return String(decoding: (try? reader.readToEnd()) ?? Data(), as: UTF8.self)
        }
        return ProcessResult(
            status: child.exitStatus ?? -1, standardOutput: texts[0], standardError: texts[1],
            timedOut: !finished)
    }

    /// Starts a long-running child whose output is appended to `logPath`.
    public static func start(
        _ command: String, _ arguments: [String] = [],
        environment: [String: String]? = nil, logPath: String
    ) throws -> ChildProcess {
        try ChildProcess.launch(
            command, arguments, environment: environment, input: nil,
            standardOutputPath: logPath, standardErrorPath: logPath)
    }

    /// The absolute path of `command`, searching `PATH` plus the sbin directories
    /// where Postfix keeps its tools.
    public static func resolve(_ command: String) throws -> String {
        if command.contains("/") {
            return command
        }
        let path = ProcessInfo.processInfo.environment["PATH"] ?? ""
        let directories =
            path.split(separator: ":").map(String.init)
            + ["/usr/local/sbin", "/usr/local/bin", "/usr/sbin", "/usr/bin", "/sbin", "/bin"]
        for directory in directories {
            let candidate = directory + "/" + command
            if access(candidate, X_OK) == 0 {
                return candidate
            }
        }
        throw HarnessError(
            .processFailed, subject: command, problem: "not found",
            detail: "searched \(directories.joined(separator: ":"))")
    }

    static func readText(atPath path: String) -> String {
        guard let data = FileManager.default.contents(atPath: path) else {
            return ""
        }
        return String(decoding: data, as: UTF8.self)
    }
}
