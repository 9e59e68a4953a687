// File operations of the quarantine done the careful way: directories 0750 (keeping a
// setgid bit so a reviewers' group is inherited), files 0640, new files never replacing old
// ones, and every file and directory entry fsynced before it counts as written.

import Foundation

#if canImport(Glibc)
import Glibc
#endif

enum FileSafety {
    /// Creates `path` (one level) mode 0750 unless it exists, fsyncing its parent.
    static func makeDirectory(_ path: String) throws(StoreError) {
        var info = stat()
        if stat(path, &info) == 0 {
            guard info.st_mode & S_IFMT == S_IFDIR else {
                throw StoreError("quarantine", "\(path) is not a directory")
            }
            return
        }
        guard mkdir(path, 0o750) == 0 || errno == EEXIST else {
            throw StoreError("quarantine", "cannot create directory \(path)", errno: errno)
        }
        // mkdir is subject to the umask; the setgid bit comes from the parent.
        if stat(path, &info) == 0 {
            chmod(path, 0o750 | (info.st_mode & S_ISGID))
        }
        try self.syncDirectory((path as NSString).deletingLastPathComponent)
    }

    /// Creates an empty file mode 0640 unless it exists.
    static func createEmptyFile(_ path: String) throws(StoreError) {
        let descriptor = open(path, O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0o640)
        guard descriptor >= 0 else {
            guard errno == EEXIST else {
                throw StoreError("quarantine", "cannot create \(path)", errno: errno)
            }
            return
        }
        fchmod(descriptor, 0o640)
        fsync(descriptor)
        close(descriptor)
        try self.syncDirectory((path as NSString).deletingLastPathComponent)
    }

    /// Writes a new file (failing if `path` exists), fsyncs it, then its directory.
    /// Nothing is left behind on failure.
    static func writeNew(_ path: String, _ bytes: [UInt8]) throws(StoreError) {
        let descriptor = open(path, O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0o640)
        guard descriptor >= 0 else {
            throw StoreError("quarantine", "cannot create message file \(path)", errno: errno)
        }
        var failure: Int32?
        fchmod(descriptor, 0o640)
        var offset = 0
        while offset < bytes.count && failure == nil {
            let written = bytes[offset...].withUnsafeBytes {
                write(descriptor, $0.baseAddress, $0.count)
            }
            if written < 0 && errno != EINTR {
                failure = errno
            } else if written > 0 {
                offset += written
            }
        }
        if failure == nil && fsync(descriptor) != 0 {
            failure = errno
        }
        if close(descriptor) != 0 && failure == nil {
            failure = errno
        }
        if let failure {
            unlink(path)
            throw StoreError("quarantine", "cannot write message file \(path)", errno: failure)
        }
        try self.syncDirectory((path as NSString).deletingLastPathComponent)
    }

    /// Removes a file (a missing one is fine) and fsyncs its directory.
    static func remove(_ path: String) throws(StoreError) {
        guard unlink(path) == 0 || errno == ENOENT else {
            throw StoreError("quarantine", "cannot remove \(path)", errno: errno)
        }
        try self.syncDirectory((path as NSString).deletingLastPathComponent)
    }

    /// Makes directory entries created or removed in `path` durable.
    static func syncDirectory(_ path: String) throws(StoreError) {
        let descriptor = open(path.isEmpty ? "." : path, O_RDONLY | O_DIRECTORY | O_CLOEXEC)
        guard descriptor >= 0 else {
            throw StoreError("quarantine", "cannot open directory \(path)", errno: errno)
        }
        defer { close(descriptor) }
        guard fsync(descriptor) == 0 else {
            throw StoreError("quarantine", "cannot fsync directory \(path)", errno: errno)
        }
    }
}
