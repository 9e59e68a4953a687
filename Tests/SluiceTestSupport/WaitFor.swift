// Bounded polling for end-to-end tests: wait until a condition holds or a deadline passes.
// Every wait in the harness goes through here, so no test can hang without limit.

import Foundation

/// Polls `condition` until it returns true or `timeout` seconds pass; returns the last result.
@discardableResult
public func waitFor(
    timeout: TimeInterval, pollInterval: TimeInterval = 0.02,
    _ condition: () throws -> Bool
) rethrows -> Bool {
    let deadline = Date().addingTimeInterval(timeout)
    while true {
        if try condition() {
            return true
        }
        if Date() >= deadline {
            return false
        }
        Thread.sleep(forTimeInterval: pollInterval)
    }
}

/// Like `waitFor`, but throws a timeout error that says what was awaited.
public func waitOrThrow(
    _ what: String, timeout: TimeInterval, pollInterval: TimeInterval = 0.02,
    _ condition: () throws -> Bool
) throws {
    guard try waitFor(timeout: timeout, pollInterval: pollInterval, condition) else {
        throw HarnessError(
            .timeout, subject: what, problem: "not reached within \(timeout) s")
    }
}
