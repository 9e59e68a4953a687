// The tamper-evident audit log: one JSON object per line, each carrying the SHA-256 of its
// own content (`hash`) and of the record before it (`prev`), so an edited, removed or
// inserted record breaks the chain. Reopened on request for log rotation; the chain runs
// on across files.

import Foundation
import Synchronization

#if canImport(Glibc)
import Glibc
#endif

/// Appends chained records to an audit file.
public final class AuditLog: Sendable {
    /// The `prev` of the very first record.
    public static let origin = String(repeating: "0", count: 64)

    public let path: String
    private let state: Mutex<(descriptor: Int32, last: String)>

    /// Opens (creating it 0640, and its directory 0750, if needed) the file at `path` for
    /// appending, and picks up the chain from its last record.
    public init(path: String) throws(StoreError) {
        self.path = path
        let directory = (path as NSString).deletingLastPathComponent
        if !directory.isEmpty && !FileManager.default.fileExists(atPath: directory) {
            try? FileManager.default.createDirectory(
                atPath: directory, withIntermediateDirectories: true,
                attributes: [.posixPermissions: 0o750])
        }
        let descriptor = try Self.open(path)
        let last = Self.lastHash(path) ?? Self.origin
        self.state = Mutex((descriptor, last))
    }

    deinit {
        _ = self.state.withLock { close($0.descriptor) }
    }

    /// Appends one record and returns its hash.
    @discardableResult
    public func append(_ entry: AuditEntry) throws(StoreError) -> String {
        try self.state.withLock { (state) throws(StoreError) -> String in
            let line = try Self.line(for: entry, previous: state.last)
            var bytes = Array(line.text.utf8)
            bytes.append(0x0A)
            let written = bytes.withUnsafeBytes {
                write(state.descriptor, $0.baseAddress, $0.count)
            }
            guard written == bytes.count else {
                throw StoreError("audit log", "cannot append to \(self.path)", errno: errno)
            }
            state.last = line.hash
            return line.hash
        }
    }

    /// Closes and reopens the file, after logrotate has moved it away.
    public func reopen() throws(StoreError) {
        let descriptor = try Self.open(self.path)
        self.state.withLock { state in
            close(state.descriptor)
            state.descriptor = descriptor
        }
    }

    /// The text of a record and its hash: `{"hash":"H",BODY}` where H is the SHA-256 of
    /// BODY, the sorted-key JSON of the entry with `prev` but without its braces.
    static func line(
        for entry: AuditEntry, previous: String
    ) throws(StoreError) -> (
        text: String, hash: String
    ) {
        let body = AuditJSON.body(of: entry, previous: previous)
        let hash = SHA256.hex(body)
        return ("{\"hash\":\"\(hash)\"," + String(decoding: body, as: UTF8.self) + "}", hash)
    }

    private static func open(_ path: String) throws(StoreError) -> Int32 {
        let descriptor = Glibc.open(path, O_WRONLY | O_APPEND | O_CREAT | O_CLOEXEC, 0o640)
        guard descriptor >= 0 else {
            throw StoreError("audit log", "cannot open \(path)", errno: errno)
        }
        return descriptor
    }

    /// The hash of the last complete record in the file, if any.
    private static func lastHash(_ path: String) -> String? {
        guard let handle = FileHandle(forReadingAtPath: path) else {
            return nil
        }
        defer { try? handle.close() }
        guard let end = try? handle.seekToEnd(), end > 0 else {
            return nil
        }
        let window = min(end, 1 << 20)
        try? handle.seek(toOffset: end - window)
        guard let tail = try? handle.readToEnd() else {
            return nil
        }
        let lines = tail.split(separator: 0x0A)
        guard let last = lines.last else {
            return nil
        }
        return AuditChain.parse(Array(last))?.hash
    }
}
