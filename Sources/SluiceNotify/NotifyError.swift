// Failures to deliver a notification; the queue retries them.

/// A notification that could not be delivered this time.
public struct NotifyError: Error, CustomStringConvertible, Sendable {
    public var subject: String
    public var problem: String

    public init(_ subject: String, _ problem: String) {
        self.subject = subject
        self.problem = problem
    }

    public var description: String { "\(self.subject): \(self.problem)" }
}
