// Failures of the quarantine store and the audit log, each keeping the errno involved.

import Foundation

/// Something the store or the audit log could not do.
public struct StoreError: Error, CustomStringConvertible, Sendable {
    public var subject: String
    public var problem: String
    public var errno: Int32?

    public init(_ subject: String, _ problem: String, errno: Int32? = nil) {
        self.subject = subject
        self.problem = problem
        self.errno = errno
    }

    /// `subject: problem: strerror(errno)`.
    public var description: String {
        var text = "\(self.subject): \(self.problem)"
        if let errno = self.errno {
            text += ": " + String(cString: strerror(errno))
        }
        return text
    }
}
