// Holds one message's bytes while the MTA sends them: in memory up to a limit, then in a
// private temporary file that is unlinked as soon as it is created, so it disappears with
// the message, an abort or a crash. The scanner reads it back as one contiguous buffer.

import Foundation

#if canImport(Glibc)
import Glibc
#endif

/// The bytes of one message, in memory or spooled to an anonymous file.
final class MessageSpool {
    private let memoryLimit: Int
    private let directory: String
    private var memory: [UInt8] = []
    private var file: Int32 = -1
    private(set) var count = 0

    init(memoryLimit: Int, directory: String) {
        self.memoryLimit = memoryLimit
        self.directory = directory
    }

    deinit {
        self.discard()
    }

    /// Whether the bytes have moved to a file.
    var isSpooled: Bool { self.file >= 0 }

    func append(_ bytes: UnsafeRawBufferPointer) throws(MilterError) {
        if self.file < 0 && self.memory.count + bytes.count > self.memoryLimit {
            try self.moveToFile()
        }
        if self.file >= 0 {
            try self.writeAll(bytes)
        } else {
            self.memory.append(contentsOf: bytes)
        }
        self.count += bytes.count
    }

    func append(_ bytes: [UInt8]) throws {
        try bytes.withUnsafeBytes { try self.append($0) }
    }

    /// Calls `body` with all bytes appended so far as one buffer.
    func withBytes<T>(_ body: (UnsafeRawBufferPointer) throws -> T) throws -> T {
        guard self.file >= 0 else {
            return try self.memory.withUnsafeBytes(body)
        }
        guard self.count > 0 else {
            return try body(UnsafeRawBufferPointer(start: nil, count: 0))
        }
        guard let mapping = mmap(nil, self.count, PROT_READ, MAP_PRIVATE, self.file, 0),
            mapping != MAP_FAILED
        else {
            throw MilterError("spool", "cannot map spooled message", errno: errno)
        }
        defer { munmap(mapping, self.count) }
        return try body(UnsafeRawBufferPointer(start: mapping, count: self.count))
    }

    /// Drops the bytes and closes the file, if any.
    func discard() {
        if self.file >= 0 {
            close(self.file)
            self.file = -1
        }
        self.memory = []
        self.count = 0
    }

    private func moveToFile() throws(MilterError) {
        var template = Array(
            (self.directory + "/sluice." + String(repeating: "X", count: 6)).utf8CString)
        let descriptor = template.withUnsafeMutableBufferPointer { buffer -> Int32 in
            guard let base = buffer.baseAddress else {
                return -1
            }
            return mkstemp(base)
        }
        guard descriptor >= 0 else {
            throw MilterError(
                "spool", "cannot create a file in \(self.directory)", errno: errno)
        }
        template.withUnsafeBufferPointer { buffer in
            if let base = buffer.baseAddress {
                _ = unlink(base)
            }
        }
        _ = fcntl(descriptor, F_SETFD, FD_CLOEXEC)
        self.file = descriptor
        let held = self.memory
        self.memory = []
        var failure: MilterError?
        held.withUnsafeBytes { buffer in
            do throws(MilterError) {
                try self.writeAll(buffer)
            } catch {
                failure = error
            }
        }
        if let failure {
            throw failure
        }
    }

    private func writeAll(_ bytes: UnsafeRawBufferPointer) throws(MilterError) {
        var offset = 0
        while offset < bytes.count {
            guard let base = bytes.baseAddress else {
                return
            }
            let written = write(self.file, base + offset, bytes.count - offset)
            if written < 0 {
                if errno == EINTR {
                    continue
                }
                throw MilterError("spool", "cannot write spooled message", errno: errno)
            }
            offset += written
        }
    }
}
