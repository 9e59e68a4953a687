// Failures of the milter daemon itself: socket set-up, libmilter refusing a call, the spool.
// Each keeps the errno where one was involved.

import Foundation

/// Something the daemon could not do.
public struct MilterError: Error, CustomStringConvertible, Sendable {
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
