// Replacing a file so readers see the old or the new contents, never a mix: write a temporary
// file beside it with the target's mode and owner, fsync, rename over the target, fsync the
// directory.

import Foundation

/// Atomic whole-file replacement.
enum AtomicFile {
    static func write(_ data: Data, to path: String, mode: mode_t = 0o644) throws(DetectError) {
        let directory = (path as NSString).deletingLastPathComponent
        let temporary = "\(directory)/.\((path as NSString).lastPathComponent).\(getpid()).tmp"
        var existing = stat()
        let exists = stat(path, &existing) == 0
        let descriptor = open(
            temporary, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC,
            exists ? existing.st_mode & 0o7777 : mode)
        guard descriptor >= 0 else {
            throw .io(path: temporary, operation: "create", errno: errno)
        }
        if exists {
            // Keeps a dictionary readable by the daemon's group after root edits it.
            _ = fchown(descriptor, existing.st_uid, existing.st_gid)
            _ = fchmod(descriptor, existing.st_mode & 0o7777)
        }
        var failure: DetectError?
        data.withUnsafeBytes { buffer in
            var offset = 0
            while offset < buffer.count, failure == nil {
                let written = Foundation.write(
                    descriptor, buffer.baseAddress?.advanced(by: offset), buffer.count - offset)
                if written < 0 && errno != EINTR {
                    failure = .io(path: temporary, operation: "write", errno: errno)
                } else if written > 0 {
                    offset += written
                }
            }
        }
        if failure == nil && fsync(descriptor) != 0 {
            failure = .io(path: temporary, operation: "fsync", errno: errno)
        }
        close(descriptor)
        if failure == nil && rename(temporary, path) != 0 {
            failure = .io(path: path, operation: "rename", errno: errno)
        }
        if let failure {
            unlink(temporary)
            throw failure
        }
        let directoryDescriptor = open(directory.isEmpty ? "." : directory, O_RDONLY | O_CLOEXEC)
        if directoryDescriptor >= 0 {
            fsync(directoryDescriptor)
            close(directoryDescriptor)
        }
    }
}
