// A value guarded by a lock, so harness objects can be shared across test threads.
// Foundation's NSLock keeps the support target free of extra module dependencies.

import Foundation

/// A mutable value that is only read or written while holding a lock.
public final class Locked<Value>: @unchecked Sendable {
    private let lock = NSLock()
    private var value: Value

    public init(_ value: Value) {
        self.value = value
    }

    /// Runs `body` with exclusive access to the value.
    public func withLock<Result>(_ body: (inout Value) throws -> Result) rethrows -> Result {
        self.lock.lock()
        defer { self.lock.unlock() }
        return try body(&self.value)
    }

    /// A copy of the current value.
    public var current: Value {
        self.withLock { $0 }
    }
}
