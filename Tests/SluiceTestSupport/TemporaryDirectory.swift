// A uniquely named scratch folder under /tmp for one test's servers, sockets and dumps.
// Paths stay short because unix-domain socket paths are limited to 107 bytes.

import Foundation
import Glibc

/// A fresh directory created with `mkdtemp`; removed only when `remove()` is called.
public final class TemporaryDirectory: Sendable {
    public let path: String

    public var url: URL {
        URL(fileURLWithPath: self.path, isDirectory: true)
    }

    /// Creates `/tmp/<prefix>` plus six random characters. The default mode lets Postfix
    /// daemons and smtp-sink, which run as the `postfix` user, reach files inside it.
    public init(prefix: String = "sluice-test-", mode: mode_t = 0o755) throws {
        var template = Array("/tmp/\(prefix)\(String(repeating: "X", count: 6))".utf8CString)
        let created = template.withUnsafeMutableBufferPointer { buffer -> Bool in
            guard let base = buffer.baseAddress else { return false }
            return mkdtemp(base) != nil
        }
        guard created else {
            throw HarnessError.system("mkdtemp", subject: "temporary directory \(prefix)")
        }
        let bytes = template.prefix { $0 != 0 }.map { UInt8(bitPattern: $0) }
        self.path = String(decoding: bytes, as: UTF8.self)
        guard chmod(self.path, mode) == 0 else {
            throw HarnessError.system("chmod", subject: self.path)
        }
    }

    /// The path of `name` inside this directory.
    public func appending(_ name: String) -> String {
        self.path + "/" + name
    }

    /// Creates a subdirectory (and its parents) and returns its path.
    @discardableResult
    public func makeSubdirectory(_ name: String, mode: Int = 0o755) throws -> String {
        let subdirectory = self.appending(name)
        try FileManager.default.createDirectory(
            atPath: subdirectory, withIntermediateDirectories: true,
            attributes: [.posixPermissions: mode])
        return subdirectory
    }

    /// Deletes the directory and everything in it; missing directories are fine.
    public func remove() {
        try? FileManager.default.removeItem(atPath: self.path)
    }
}
