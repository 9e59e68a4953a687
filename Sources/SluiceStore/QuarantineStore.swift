// The quarantine: one file per held message (the envelope line and the original bytes,
// encrypted when a key is set) under `messages/`, and one SQLite database in WAL mode for
// the records. A message is held only once its file and directory entry are on disk and its
// record is committed; the milter tells Postfix to discard only after `hold` returns.

import Foundation
import Synchronization

#if canImport(Glibc)
import Glibc
#endif

/// Held messages on disk. One mutex-guarded SQLite connection per store, so it is safe to
/// share between the milter's threads; other processes (the review CLI) open their own and
/// SQLite's locking with a busy timeout keeps them apart.
public final class QuarantineStore: Sendable {
    public let directory: String
    let cipher: MessageCipher?
    let audit: AuditLog?
    let database: Mutex<SQLiteDatabase>

    var messagesDirectory: String {
        self.directory + "/messages"
    }

    /// Opens the store in `directory`, creating it (0750, database 0640) when `create` is
    /// set. With `key` (32 bytes) new messages are encrypted and encrypted ones readable.
    /// Review actions are appended to `audit` when given.
    public init(
        directory: String, key: Data? = nil, audit: AuditLog? = nil, create: Bool = true
    ) throws(StoreError) {
        self.directory = directory
        self.cipher = try key.map { (key) throws(StoreError) in try MessageCipher(key: key) }
        self.audit = audit
        let path = directory + "/quarantine.db"
        if create {
            try FileSafety.makeDirectory(directory)
            try FileSafety.makeDirectory(directory + "/messages")
            try FileSafety.createEmptyFile(path)
        } else if !FileManager.default.fileExists(atPath: path) {
            throw StoreError("quarantine", "no quarantine at \(directory)")
        }
        let database = try SQLiteDatabase(path: path, create: create)
        if !database.isReadOnly {
            try database.execute(QuarantineSchema.statements)
        }
        self.database = Mutex(database)
    }

    /// Reads a key file for `init(directory:key:)`: 32 raw bytes or 64 hex digits, refused
    /// when other users may access it.
    public static func loadKey(path: String) throws(StoreError) -> Data {
        try MessageCipher.loadKey(path: path)
    }

    /// Stores `message` as held under `id`: writes its file (encrypted when a key is set),
    /// fsyncs it and its directory, then commits the record. Throws on any failure, leaving
    /// no record behind; the caller must then not accept the message.
    public func hold(
        id: String, message: UnsafeRawBufferPointer, record: QuarantineRecordInput
    ) throws(StoreError) {
        try Self.validate(id)
        let contents = try self.fileContents(id: id, message: message, record: record)
        let path = try self.messagePath(id, creatingDirectory: true)
        try FileSafety.writeNew(path, contents)
        do {
            try self.database.withLock { (database) throws(StoreError) in
                try database.transaction { () throws(StoreError) in
                    try QuarantineSchema.insert(
                        id: id, record: record, encrypted: self.cipher != nil, into: database)
                }
            }
        } catch {
            unlink(path)
            throw error
        }
    }

    /// The record of `id` with its history, or nil when there is none.
    public func record(id: String) throws(StoreError) -> QuarantineRecord? {
        try Self.validate(id)
        return try self.database.withLock { (database) throws(StoreError) in
            try QuarantineSchema.record(id: id, in: database)
        }
    }

    /// Records matching `query`, newest first, and how many match in all.
    public func list(
        _ query: QuarantineQuery = QuarantineQuery()
    ) throws(StoreError)
        -> QuarantinePage
    {
        try self.database.withLock { (database) throws(StoreError) in
            try QuarantineSchema.list(query, in: database)
        }
    }

    /// The original message bytes exactly as received (decrypted), for export and release.
    public func message(id: String) throws(StoreError) -> [UInt8] {
        guard let record = try self.record(id: id) else {
            throw StoreError("quarantine", "no message \(id)")
        }
        guard record.state != .deleted else {
            throw StoreError("quarantine", "message \(id) was deleted")
        }
        let path = try self.messagePath(id, creatingDirectory: false)
        guard let data = FileManager.default.contents(atPath: path) else {
            throw StoreError("quarantine", "cannot read message file \(path)", errno: errno)
        }
        var plain = Array(data)
        if record.encrypted {
            guard let cipher = self.cipher else {
                throw StoreError(
                    "quarantine", "message \(id) is encrypted; the key file is needed")
            }
            plain = try cipher.open(plain, id: id)
        }
        guard let newline = plain.firstIndex(of: 0x0A) else {
            throw StoreError("quarantine", "message file \(path) has no envelope line")
        }
        return Array(plain[(newline + 1)...])
    }

    /// Deletes a held or released message: the record is marked deleted (and kept for its
    /// history until purged), then the file is removed.
    public func delete(
        id: String, comment: String? = nil, user: String, now: Date = Date()
    ) throws(StoreError) {
        try Self.validate(id)
        let entry = QuarantineHistoryEntry(
            time: now, user: user, action: "delete", comment: comment)
        try self.database.withLock { (database) throws(StoreError) in
            try database.transaction { () throws(StoreError) in
                guard let record = try QuarantineSchema.record(id: id, in: database) else {
                    throw StoreError("delete", "no message \(id)")
                }
                guard record.state == .held || record.state == .released else {
                    throw StoreError("delete", "message \(id) is \(record.state.rawValue)")
                }
                try QuarantineSchema.setState(
                    id: id, to: .deleted, lastError: nil, at: now, in: database)
                try QuarantineSchema.addHistory(id: id, entry, in: database)
                try self.audit?.append(self.auditEntry(record, entry))
            }
        }
        try FileSafety.remove(try self.messagePath(id, creatingDirectory: false))
    }

    /// Counts by state, by rule and by day (the most recent `days` days with messages).
    public func stats(days: Int = 14) throws(StoreError) -> QuarantineStats {
        try self.database.withLock { (database) throws(StoreError) in
            try QuarantineSchema.stats(days: days, in: database)
        }
    }

    /// `messages/XY/ID`, where XY are the id's first two characters.
    func messagePath(_ id: String, creatingDirectory: Bool) throws(StoreError) -> String {
        let folder = self.messagesDirectory + "/" + id.prefix(2).uppercased()
        if creatingDirectory {
            try FileSafety.makeDirectory(folder)
        }
        return folder + "/" + id
    }

    /// The envelope as one JSON line, then the message; sealed when a key is set.
    private func fileContents(
        id: String, message: UnsafeRawBufferPointer, record: QuarantineRecordInput
    ) throws(StoreError) -> [UInt8] {
        let envelope = QuarantineRecord(
            id: id, input: record, state: .held, encrypted: self.cipher != nil)
        var plain = try QuarantineSchema.json(envelope)
        plain.append(0x0A)
        plain.append(contentsOf: message)
        guard let cipher = self.cipher else {
            return plain
        }
        let sealed = plain.withUnsafeBytes { bytes in
            Result { () throws(StoreError) in try cipher.seal(bytes, id: id) }
        }
        return try sealed.get()
    }

    /// The audit record of a review action.
    func auditEntry(
        _ record: QuarantineRecord, _ entry: QuarantineHistoryEntry,
        recipients: [AuditRecipient]? = nil
    ) -> AuditEntry {
        AuditEntry(
            event: entry.action, time: entry.time, reference: record.id, action: entry.action,
            queueID: record.input.queueID, messageID: record.input.messageID,
            sender: record.input.sender, recipients: recipients ?? record.input.recipients,
            size: record.input.size, rules: record.input.rules, user: entry.user,
            comment: entry.comment)
    }

    /// Ids become file names: letters, digits, `-` and `_` only, at most 64.
    static func validate(_ id: String) throws(StoreError) {
        let allowed = id.utf8.allSatisfy { byte in
            (byte >= 0x30 && byte <= 0x39) || (byte >= 0x41 && byte <= 0x5A)
                || (byte >= 0x61 && byte <= 0x7A) || byte == 0x2D || byte == 0x5F
        }
        guard allowed, (1...64).contains(id.utf8.count), !id.hasPrefix("-") else {
            throw StoreError("quarantine", "'\(id)' is not a quarantine id")
        }
    }
}
