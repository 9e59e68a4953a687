// True file type through libmagic. A libmagic handle is not thread-safe and loading its database
// costs milliseconds, so loaded handles are checked out of a small pool for one lookup and
// returned afterwards. Only the leading bytes of an item are passed in.

import CMagic
import Synchronization

/// A pair of loaded libmagic handles: one answers the MIME type, the other the description.
private struct MagicHandles: @unchecked Sendable {
    let mime: OpaquePointer
    let description: OpaquePointer
}

enum MagicLibrary {
    private static let idle = Mutex<[MagicHandles]>([])
    private static let keptHandles = 16

    /// MIME type (lowercased, no parameters) and description of `bytes`, or nil when the magic
    /// database cannot be loaded.
    static func identify(_ bytes: UnsafeRawBufferPointer) -> (mime: String, description: String)? {
        guard let handles = self.checkOut() else { return nil }
        defer { self.checkIn(handles) }
        let mime = self.lookup(handles.mime, bytes) ?? "application/octet-stream"
        let description = self.lookup(handles.description, bytes) ?? "data"
        return (Self.baseType(mime), description)
    }

    /// `Text/Plain; charset=x` → `text/plain`.
    static func baseType(_ type: String) -> String {
        let base = type.split(separator: ";", maxSplits: 1).first.map(String.init) ?? type
        return base.trimmingSpaces().lowercased()
    }

    private static func lookup(
        _ handle: OpaquePointer, _ bytes: UnsafeRawBufferPointer
    )
        -> String?
    {
        guard let base = bytes.baseAddress, !bytes.isEmpty else { return nil }
        guard let answer = magic_buffer(handle, base, bytes.count) else { return nil }
        return String(cString: answer)
    }

    private static func checkOut() -> MagicHandles? {
        if let handles = self.idle.withLock({ $0.popLast() }) {
            return handles
        }
        guard let mime = self.open(MAGIC_MIME_TYPE) else { return nil }
        guard let description = self.open(MAGIC_NONE) else {
            magic_close(mime)
            return nil
        }
        return MagicHandles(mime: mime, description: description)
    }

    private static func open(_ flags: Int32) -> OpaquePointer? {
        guard let handle = magic_open(flags | MAGIC_ERROR) else { return nil }
        guard magic_load(handle, nil) == 0 else {
            magic_close(handle)
            return nil
        }
        return handle
    }

    private static func checkIn(_ handles: MagicHandles) {
        let kept = self.idle.withLock { idle -> Bool in
            guard idle.count < self.keptHandles else { return false }
            idle.append(handles)
            return true
        }
        if !kept {
            magic_close(handles.mime)
            magic_close(handles.description)
        }
    }
}
