// Runs blocking work (SMTP sessions) on real threads at the same time. Swift concurrency's
// cooperative pool has only as many threads as cores, so blocking clients in a task group
// would run one or two at a time instead of truly in parallel.

import Foundation

/// Runs `body(0..<count)` on `count` threads at once and returns the results in index order.
/// Throws the first error any thread threw, or a timeout error if they are not all done
/// within `timeout` seconds (the stragglers keep running in the background).
public func runOnThreads<Value: Sendable>(
    _ count: Int, timeout: TimeInterval = 60,
    _ body: @escaping @Sendable (Int) throws -> Value
) throws -> [Value] {
    let results = Locked<[Int: Result<Value, any Error>]>([:])
    let group = DispatchGroup()
    for index in 0..<count {
        group.enter()
        let thread = Thread {
            let outcome = Result { try body(index) }
            results.withLock { $0[index] = outcome }
            group.leave()
        }
        thread.stackSize = 1 << 20
        thread.start()
    }
    guard group.wait(timeout: .now() + timeout) == .success else {
        throw HarnessError(
            .timeout, subject: "\(count) threads", problem: "not finished after \(timeout) s",
            detail: "\(results.current.count) finished")
    }
    let finished = results.current
    return try (0..<count).map { index in
        guard let outcome = finished[index] else {
            throw HarnessError(.timeout, subject: "thread \(index)", problem: "no result")
        }
        return try outcome.get()
    }
}
