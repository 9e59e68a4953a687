// The next hop for a private Postfix: smtp-sink on a free loopback port, writing every mail
// transaction it accepts to its own dump file. Tests read the captured messages back with
// envelope and exact bytes, and can make the sink refuse mail or go down to exercise retries.

import Foundation
import Glibc

/// A running smtp-sink that records every message it receives.
public final class SMTPSink: Sendable {
    /// How the sink answers. The default accepts everything.
    public struct Options: Sendable {
        /// The name in the greeting and EHLO reply.
        public var hostname = "sink.sluice.test"
        /// Commands answered with a 4xx (smtp-sink `-r`), such as ["RCPT"].
        public var temporarilyRejected: [String] = []
        /// Commands answered with a 5xx (smtp-sink `-f`), such as ["RCPT"].
        public var permanentlyRejected: [String] = []
        /// Commands after which the sink hangs up without a reply (smtp-sink `-q`).
        public var disconnectAfter: [String] = []
        /// Replacement 4xx reply text, such as "451 4.3.0 try later" (smtp-sink `-b`).
        public var temporaryReply: String?
        /// Replacement 5xx reply text (smtp-sink `-B`).
        public var permanentReply: String?
        /// Anything else to pass to smtp-sink before the address.
        public var extraArguments: [String] = []

        public init() {}

        public static let acceptAll = Options()

        var arguments: [String] {
            var arguments = ["-h", self.hostname]
            if !self.temporarilyRejected.isEmpty {
                arguments += ["-r", self.temporarilyRejected.joined(separator: ",")]
            }
            if !self.permanentlyRejected.isEmpty {
                arguments += ["-f", self.permanentlyRejected.joined(separator: ",")]
            }
            if !self.disconnectAfter.isEmpty {
                arguments += ["-q", self.disconnectAfter.joined(separator: ",")]
            }
            if let reply = self.temporaryReply {
                arguments += ["-b", reply]
            }
            if let reply = self.permanentReply {
                arguments += ["-B", reply]
            }
            return arguments + self.extraArguments
        }
    }

    static let folderPrefix = "sluice-sink-"

    /// The loopback port the sink listens on; stays the same across `goDown`/`comeUp`.
    public let port: UInt16
    /// The harness folder: dump directory, smtp-sink's log, owner file.
    public let directory: TemporaryDirectory
    private let child: Locked<ChildProcess?>
    private let exitCleanupID: Int

    /// Where smtp-sink writes one file per accepted message.
    public var dumpDirectory: String {
        self.directory.appending("dump")
    }

    /// smtp-sink's own stdout and stderr.
    public var log: String {
        ProcessRunner.readText(atPath: self.directory.appending("smtp-sink.log"))
    }

    /// Starts smtp-sink on a free port; throws with its log if it does not answer in time.
    public init(options: Options = .acceptAll) throws {
        Self.reapOrphans()
        self.port = try FreePort.next()
        self.directory = try TemporaryDirectory(prefix: Self.folderPrefix)
        let child = Locked<ChildProcess?>(nil)
        let directory = self.directory
        self.child = child
        self.exitCleanupID = ExitCleanup.register {
            child.current?.kill(SIGKILL)
            directory.remove()
        }
        do {
            try OrphanReaper.claim(self.directory)
            try self.directory.makeSubdirectory("dump")
            try Self.giveToPostfixUser(self.dumpDirectory)
            try self.comeUp(options: options)
        } catch {
            self.stop()
            throw error
        }
    }

    deinit {
        self.stop()
    }

    /// The messages received so far, oldest first. Transactions still in progress are left out.
    public func messages() throws -> [CapturedMessage] {
        try self.completedDumps().sorted(by: Self.olderFirst).map {
            try CapturedMessage(dumpFile: $0)
        }
    }

    /// Paths of the dump files of finished transactions.
    private func completedDumps() -> [String] {
        let names = (try? FileManager.default.contentsOfDirectory(atPath: self.dumpDirectory))
        let paths = (names ?? []).map { self.dumpDirectory + "/" + $0 }

        // Listed before looking at open files: a file opened after the listing is not in it.
        let inProgress = self.child.current.map { ProcessTable.openFiles($0.pid) } ?? []
        return paths.filter { !inProgress.contains($0) }
    }

    /// Waits until at least `count` messages have arrived and returns them all.
    public func waitForMessages(
        count: Int, timeout: TimeInterval = 30
    ) throws -> [CapturedMessage] {
        // Counting files is cheap; parse them only once enough have arrived.
        var arrivedCount = 0
        let arrived = waitFor(timeout: timeout, pollInterval: 0.05) {
            arrivedCount = self.completedDumps().count
            return arrivedCount >= count
        }
        guard arrived else {
            throw HarnessError(
                .timeout, subject: "smtp-sink 127.0.0.1:\(self.port)",
                problem: "expected \(count) messages, got \(arrivedCount)",
                detail: "waited \(timeout) s")
        }
        return try self.messages()
    }

    /// Stops smtp-sink so connections to its port are refused; received messages stay.
    /// Transactions in progress are discarded, as their sender never got a final reply.
    public func goDown() {
        guard
            let child = self.child.withLock({ current -> ChildProcess? in
                defer { current = nil }
                return current
            })
        else {
            return
        }

        // Freeze it first so no transaction can finish between the snapshot and the kill.
        child.kill(SIGSTOP)
        let inProgress = ProcessTable.openFiles(child.pid).filter {
            $0.hasPrefix(self.dumpDirectory + "/")
        }
        child.kill(SIGKILL)
        child.waitForExit(timeout: 5)
        for path in inProgress {
            unlink(path)
        }
    }

    /// Starts smtp-sink again on the same port, possibly answering differently.
    public func comeUp(options: Options = .acceptAll) throws {
        self.goDown()
        var arguments = options.arguments + ["-d", self.dumpDirectory + "/%Y%m%d%H%M%S."]
        if geteuid() == 0 {
            arguments = ["-u", "postfix"] + arguments
        }
        arguments += ["127.0.0.1:\(self.port)", "128"]
        let child = try ProcessRunner.start(
            "smtp-sink", arguments, logPath: self.directory.appending("smtp-sink.log"))
        self.child.withLock { $0 = child }
        try self.waitUntilListening(child)
    }

    /// Kills smtp-sink and deletes its folder with every dump in it. Safe to call twice.
    public func stop() {
        ExitCleanup.cancel(self.exitCleanupID)
        self.goDown()
        self.directory.remove()
    }

    private func waitUntilListening(_ child: ChildProcess) throws {
        let listening = waitFor(timeout: 10, pollInterval: 0.02) {
            guard child.isRunning else { return true }
            let client = try? SMTPClient(port: self.port, timeout: 2)
            _ = try? client?.quit()
            return client != nil
        }
        guard listening && child.isRunning else {
            throw HarnessError(
                .sinkStartFailed, subject: "smtp-sink 127.0.0.1:\(self.port)",
                problem: child.isRunning ? "not answering after 10 s" : "exited at startup",
                detail: self.log.trimmingCharacters(in: .whitespacesAndNewlines))
        }
    }

    private static func olderFirst(_ left: String, _ right: String) -> Bool {
        let leftTime = self.modificationTime(left)
        let rightTime = self.modificationTime(right)
        return leftTime == rightTime ? left < right : leftTime < rightTime
    }

    private static func modificationTime(_ path: String) -> Double {
        var info = stat()
        guard stat(path, &info) == 0 else { return 0 }
        return Double(info.st_mtim.tv_sec) + Double(info.st_mtim.tv_nsec) / 1e9
    }

    /// smtp-sink drops root privileges to `postfix` before writing dumps.
    static func giveToPostfixUser(_ path: String) throws {
        guard geteuid() == 0 else { return }
        guard let user = getpwnam("postfix") else {
            throw HarnessError(.configuration, subject: path, problem: "no postfix user")
        }
        guard chown(path, user.pointee.pw_uid, user.pointee.pw_gid) == 0 else {
            throw HarnessError.system("chown", subject: path)
        }
    }

    private static func reapOrphans() {
        for folder in OrphanReaper.orphans(prefix: self.folderPrefix) {
            for pid in ProcessTable.allPIDs()
            where ProcessTable.commandLine(pid)?.contains(folder + "/dump/") == true {
                OrphanReaper.killIfMatching(pid, expected: "smtp-sink")
            }
            try? FileManager.default.removeItem(atPath: folder)
        }
    }
}
