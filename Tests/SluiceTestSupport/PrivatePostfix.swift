// A private Postfix instance for one end-to-end test: its own config, queue, data directory
// and log under one temporary folder, SMTP on a free loopback port, everything relayed to
// the test's next hop. stop() (also run from deinit and at exit) leaves no process or file.

import Foundation
import Glibc

/// A running private Postfix. Create it with `init(options:)` or `withPrivatePostfix`.
public final class PrivatePostfix: Sendable {
    static let folderPrefix = "sluice-pf-"

    /// The SMTP port on 127.0.0.1.
    public let port: UInt16
    public let options: Options
    /// The folder holding everything of this instance.
    public let directory: TemporaryDirectory
    let layout: Layout
    private let stopped = Locked(false)
    private let exitCleanupID: Int

    public var configDirectory: String { self.layout.configDirectory }
    public var queueDirectory: String { self.layout.queueDirectory }
    public var dataDirectory: String { self.layout.dataDirectory }
    public var maillogPath: String { self.layout.maillogPath }
    /// `myhostname`, which also appears in the SMTP greeting.
    public var hostname: String { self.layout.hostname }

    /// Everything Postfix has logged so far (its `maillog_file`).
    public var maillog: String {
        ProcessRunner.readText(atPath: self.maillogPath)
    }

    /// Writes the configuration, starts Postfix and waits until it answers on `port`.
    /// On failure everything is cleaned up and the error carries Postfix's own messages.
    public init(options: Options) throws {
        Self.reapOrphans()
        let directory = try TemporaryDirectory(prefix: Self.folderPrefix)
        let layout: Layout
        do {
            layout = Layout(root: directory.path, smtpPort: try FreePort.next())
        } catch {
            directory.remove()
            throw error
        }
        self.port = layout.smtpPort
        self.options = options
        self.directory = directory
        self.layout = layout
        self.exitCleanupID = ExitCleanup.register { Self.shutDown(layout) }
        do {
            try OrphanReaper.claim(directory)
            try self.prepare()
            try self.start()
        } catch {
            self.stop()
            throw error
        }
    }

    deinit {
        self.stop()
    }

    /// Stops Postfix (`postfix stop`, then `abort` and SIGKILL if it lingers), waits for
    /// every daemon of this instance to exit, unregisters it and deletes its folder.
    /// Safe to call more than once.
    public func stop() {
        let alreadyStopped = self.stopped.withLock { value -> Bool in
            defer { value = true }
            return value
        }
        guard !alreadyStopped else { return }
        ExitCleanup.cancel(self.exitCleanupID)
        Self.shutDown(self.layout)
    }

    /// Runs `postfix reload`, for example after `setParameters`.
    public func reload() throws {
        try self.postfix("reload")
    }

    /// Edits main.cf with `postconf -e` ("name = value" each) and reloads.
    public func setParameters(_ settings: [String]) throws {
        let result = try ProcessRunner.run(
            "postconf", ["-c", self.configDirectory, "-e"] + settings, timeout: 30)
        guard result.succeeded else {
            throw HarnessError(
                .processFailed, subject: "postconf -c \(self.configDirectory)",
                problem: "exit status \(result.status)", detail: result.combinedOutput)
        }
        try self.reload()
    }

    /// Waits until the maillog contains `text`; true if it appeared within `timeout`.
    @discardableResult
    public func waitForMaillog(containing text: String, timeout: TimeInterval = 10) -> Bool {
        waitFor(timeout: timeout, pollInterval: 0.05) { self.maillog.contains(text) }
    }

    // MARK: Startup

    private func prepare() throws {
        try self.directory.makeSubdirectory("etc")
        try self.directory.makeSubdirectory("queue")
        _ = try PostfixQueueLayout.create(queueDirectory: self.queueDirectory)
        try self.directory.makeSubdirectory("data", mode: 0o700)
        try SMTPSink.giveToPostfixUser(self.dataDirectory)

        let files = [
            ("main.cf", Self.mainCF(self.layout, self.options)),
            ("master.cf", Self.masterCF(self.layout)),
        ]
        for (name, text) in files {
            let path = self.configDirectory + "/" + name
            guard FileManager.default.createFile(atPath: path, contents: Data(text.utf8)) else {
                throw HarnessError.system("create", subject: path)
            }
            try Self.backdate(path)
        }
        try AlternateConfigDirectories.add(
            self.configDirectory, ownedPrefix: "/tmp/" + Self.folderPrefix)
    }

    /// Postfix re-reads a configuration file modified within the last second until it is a
    /// second old (300 ms at a time), which made every start 1.2 s slower. Age it instead.
    static func backdate(_ path: String) throws {
        let past = Date().addingTimeInterval(-10)
        try FileManager.default.setAttributes([.modificationDate: past], ofItemAtPath: path)
    }

    private func start() throws {
        try self.postfix("start")

        let timeout = self.options.startTimeout
        var lastProblem = "no answer"
        let answered = waitFor(timeout: timeout, pollInterval: 0.05) {
            do {
                let client = try SMTPClient(port: self.port, timeout: 5)
                defer { _ = try? client.quit() }
                lastProblem = "greeting \(client.greeting)"
                return client.greeting.code == 220
                    && client.greeting.text.hasPrefix(self.hostname)
            } catch {
                lastProblem = "\(error)"
                return false
            }
        }
        guard answered else {
            throw self.failure(
                .postfixStartFailed,
                "not answering on port \(self.port) after \(timeout) s (\(lastProblem))")
        }
    }

    /// Runs `postfix -c DIR <command>`. Postfix reports problems to stderr only when that is
    /// a terminal, so a failed command is repeated under script(1) to capture what it said.
    /// The first attempt has no terminal, so a daemon it starts never inherits one.
    @discardableResult
    func postfix(_ command: String, timeout: TimeInterval = 60) throws -> ProcessResult {
        let arguments = ["-c", self.configDirectory, command]
        let result = try ProcessRunner.run("postfix", arguments, timeout: timeout)
        if result.succeeded {
            return result
        }
        let line = (["postfix"] + arguments).joined(separator: " ")
        let retry = try ProcessRunner.run("script", ["-qec", line, "/dev/null"], timeout: timeout)
        if retry.succeeded {
            return retry
        }
        let said = retry.combinedOutput.trimmingCharacters(in: .whitespacesAndNewlines)
        throw self.failure(
            command == "start" ? .postfixStartFailed : .processFailed,
            "\(line): exit status \(retry.status)" + (retry.timedOut ? " (timed out)" : "")
                + (said.isEmpty ? "" : ": \(said)"))
    }

    /// An error whose detail holds the maillog's complaints (or its tail if none).
    private func failure(_ kind: HarnessError.Kind, _ problem: String) -> HarnessError {
        let logLines = self.maillog.split(separator: "\n").suffix(30)
        let interesting = logLines.filter {
            $0.contains("fatal") || $0.contains("error") || $0.contains("warning")
                || $0.contains("panic")
        }
        let detail = (interesting.isEmpty ? Array(logLines) : interesting)
            .joined(separator: "\n")
        return HarnessError(
            kind, subject: "private postfix \(self.configDirectory)",
            problem: problem, detail: detail.isEmpty ? "maillog is empty" : "maillog:\n\(detail)")
    }
}
