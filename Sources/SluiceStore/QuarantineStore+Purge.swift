// Retention: removing old messages, files and records together, and sweeping message files
// that never got a record (a hold interrupted between writing the file and committing).

import Foundation

extension QuarantineStore {
    /// Orphaned files younger than this are left alone: they may be holds in progress.
    static let orphanGrace: TimeInterval = 3600

    /// Removes the records and files of every message held before `cutoff`, whatever its
    /// state, and message files without a record older than `cutoff` (and than an hour).
    /// Files go first, so an interrupted purge leaves records to purge again. Each removed
    /// record is audited as a `purge` by `user`.
    @discardableResult
    public func purge(
        olderThan cutoff: Date, user: String = "sluice"
    ) throws(StoreError) -> [QuarantineRecord] {
        let old = try self.database.withLock { (database) throws(StoreError) in
            try QuarantineSchema.records(before: cutoff, in: database)
        }
        for record in old {
            try FileSafety.remove(try self.messagePath(record.id, creatingDirectory: false))
        }
        try self.database.withLock { (database) throws(StoreError) in
            try database.transaction { () throws(StoreError) in
                for record in old {
                    try QuarantineSchema.remove(id: record.id, in: database)
                }
            }
        }
        for record in old {
            let entry = QuarantineHistoryEntry(time: Date(), user: user, action: "purge")
            try self.audit?.append(self.auditEntry(record, entry))
        }
        try self.sweepOrphans(
            olderThan: min(cutoff, Date() - Self.orphanGrace))
        return old
    }

    /// Removes message files that have no record and were last written before `cutoff`.
    /// Returns how many went.
    @discardableResult
    func sweepOrphans(olderThan cutoff: Date) throws(StoreError) -> Int {
        let known = try self.database.withLock { (database) throws(StoreError) in
            try QuarantineSchema.allIDs(in: database)
        }
        let files = FileManager.default
        var removed = 0
        let folders = (try? files.contentsOfDirectory(atPath: self.messagesDirectory)) ?? []
        for folder in folders {
            let path = self.messagesDirectory + "/" + folder
            for name in (try? files.contentsOfDirectory(atPath: path)) ?? []
            where !known.contains(name) {
                let file = path + "/" + name
                let modified = try? files.attributesOfItem(atPath: file)[.modificationDate]
                guard let modified = modified as? Date, modified < cutoff else {
                    continue
                }
                try FileSafety.remove(file)
                removed += 1
            }
        }
        return removed
    }
}
