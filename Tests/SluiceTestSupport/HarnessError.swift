// The one error type of the end-to-end test harness. Every failure names what failed,
// the problem, and the evidence a reader needs to fix it (exit status, log lines, errno).

import Foundation

/// A failure inside the test harness itself, not in the code under test.
public struct HarnessError: Error, CustomStringConvertible, Sendable, Equatable {
    /// What kind of failure this is; tests can match on it.
    public enum Kind: Sendable, Equatable {
        case systemCall
        case processFailed
        case timeout
        case connectionClosed
        case protocolViolation
        case postfixStartFailed
        case sinkStartFailed
        case malformedDump
        case configuration
        /// A program under test (such as the sluice milter) did not come up.
        case startup
    }

    public let kind: Kind
    public let subject: String
    public let problem: String
    public let detail: String
    /// The `errno` of the failing system call, when there was one.
    public let errorNumber: Int32?

    public init(
        _ kind: Kind, subject: String, problem: String, detail: String = "",
        errorNumber: Int32? = nil
    ) {
        self.kind = kind
        self.subject = subject
        self.problem = problem
        self.detail = detail
        self.errorNumber = errorNumber
    }

    /// An error for a failed libc call, carrying the current `errno`.
    public static func system(_ call: String, subject: String) -> HarnessError {
        let number = errno
        return HarnessError(
            .systemCall, subject: subject, problem: "\(call) failed",
            detail: String(cString: strerror(number)), errorNumber: number)
    }

    public var description: String {
        var text = "\(self.subject): \(self.problem)"
        if !self.detail.isEmpty {
            text += ": \(self.detail)"
        }
        if let number = self.errorNumber {
            text += " (errno \(number))"
        }
        return text
    }
}
