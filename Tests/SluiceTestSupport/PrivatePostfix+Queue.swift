// The private instance's mail queue: how many messages wait where, waiting until everything
// has been delivered, and asking Postfix to retry deferred mail now.

import Foundation

extension PrivatePostfix {
    /// Number of queue files per queue. `hold` holds mail a milter quarantined.
    public struct QueueCounts: Sendable, Equatable, CustomStringConvertible {
        public var maildrop = 0
        public var incoming = 0
        public var active = 0
        public var deferred = 0
        public var hold = 0

        /// Messages Postfix still means to deliver (everything but `hold`).
        public var pending: Int {
            self.maildrop + self.incoming + self.active + self.deferred
        }

        public var description: String {
            "maildrop=\(self.maildrop) incoming=\(self.incoming) active=\(self.active)"
                + " deferred=\(self.deferred) hold=\(self.hold)"
        }
    }

    /// Counts queue files directly, without asking Postfix.
    public func queueCounts() -> QueueCounts {
        let count = { (name: String) in self.fileCount(under: self.queueDirectory + "/" + name) }
        return QueueCounts(
            maildrop: count("maildrop"), incoming: count("incoming"), active: count("active"),
            deferred: count("deferred"), hold: count("hold"))
    }

    /// Waits until no message is waiting for delivery (held messages do not count).
    public func waitUntilQueueEmpty(timeout: TimeInterval = 30) throws {
        let empty = waitFor(timeout: timeout, pollInterval: 0.05) {
            self.queueCounts().pending == 0
        }
        guard empty else {
            throw HarnessError(
                .timeout, subject: "private postfix \(self.configDirectory)",
                problem: "queue not empty after \(timeout) s",
                detail: "\(self.queueCounts()); last log lines:\n"
                    + self.maillog.split(separator: "\n").suffix(10).joined(separator: "\n"))
        }
    }

    /// Asks Postfix to deliver deferred mail now (`postqueue -f`).
    public func flushQueue() throws {
        try self.postqueue(["-f"])
    }

    /// The queue listing of `postqueue -p` ("Mail queue is empty" when empty).
    public func queueListing() throws -> String {
        try self.postqueue(["-p"])
    }

    @discardableResult
    private func postqueue(_ arguments: [String]) throws -> String {
        let result = try ProcessRunner.run(
            "postqueue", ["-c", self.configDirectory] + arguments, timeout: 30)
        guard result.succeeded else {
            throw HarnessError(
                .processFailed, subject: "postqueue -c \(self.configDirectory)",
                problem: "exit status \(result.status)", detail: result.combinedOutput)
        }
        return result.standardOutput
    }

    private func fileCount(under directory: String) -> Int {
        guard let walker = FileManager.default.enumerator(atPath: directory) else { return 0 }
        var count = 0
        while walker.nextObject() != nil {
            if walker.fileAttributes?[.type] as? FileAttributeType == .typeRegular {
                count += 1
            }
        }
        return count
    }
}
