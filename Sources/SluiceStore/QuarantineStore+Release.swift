// Releasing a held message exactly once: the record moves from `held` to `releasing` in a
// committed transaction before anything is sent, so a second release (from another reviewer
// or process) is refused; a failed injection puts it back to `held` with the reason.

import Foundation
import SluiceSMTP

/// What a successful release did.
public struct QuarantineRelease: Equatable, Sendable {
    public var id: String
    public var recipients: [String]
    /// The release relay's reply to the end of data (usually naming its queue id).
    public var relayReply: String
}

extension QuarantineStore {
    /// Re-injects the original message of `id` over SMTP to the release relay at
    /// `host:port`, to its original recipients or the subset `recipients`, with an
    /// `X-Sluice-Released:` header naming `user`, the time and the id. Refused unless the
    /// message is held. When the relay does not accept it the record is held again with the
    /// reason in `lastError` and the history, and the error is thrown.
    @discardableResult
    public func release(
        id: String, to recipients: [String]? = nil, comment: String? = nil, user: String,
        host: String, port: UInt16, timeout: TimeInterval = 60, now: Date = Date()
    ) throws(StoreError) -> QuarantineRelease {
        try Self.validate(id)
        let (record, targets) = try self.claimForRelease(id: id, recipients: recipients, now: now)

        let reply: String
        do {
            let original = try self.message(id: id)
            let header = "X-Sluice-Released: by \(user) at \(Self.timestamp(now)); ref \(id)\r\n"
            let relay = SMTPTransaction(host: host, port: port, timeout: timeout)
            reply = try relay.send(
                Array(header.utf8) + original, from: record.input.sender, to: targets)
        } catch {
            try self.releaseFailed(record, reason: "\(error)", user: user, comment: comment)
            throw StoreError("release", "\(id): \(error); the message is still held")
        }

        let entry = QuarantineHistoryEntry(
            time: now, user: user, action: "release", comment: comment,
            detail: "to " + targets.joined(separator: ", ") + "; relay: " + reply)
        let released = targets.map { target in
            AuditRecipient(
                address: target,
                external: record.input.recipients.first { $0.address == target }?.external
                    ?? true)
        }
        do {
            try self.database.withLock { (database) throws(StoreError) in
                try database.transaction { () throws(StoreError) in
                    try QuarantineSchema.setState(
                        id: id, to: .released, lastError: nil, at: Date(), in: database)
                    try QuarantineSchema.addHistory(id: id, entry, in: database)
                }
            }
            try self.audit?.append(self.auditEntry(record, entry, recipients: released))
        } catch {
            // The relay has the message: say so, so nobody releases it again by hand.
            throw StoreError(
                "release", "\(id) was delivered (\(reply)) but not recorded: \(error)")
        }
        return QuarantineRelease(id: id, recipients: targets, relayReply: reply)
    }

    /// Moves a held record to `releasing` and works out who it goes to.
    private func claimForRelease(
        id: String, recipients: [String]?, now: Date
    ) throws(StoreError) -> (QuarantineRecord, [String]) {
        try self.database.withLock { (database) throws(StoreError) in
            try database.transaction { () throws(StoreError) -> (QuarantineRecord, [String]) in
                guard let record = try QuarantineSchema.record(id: id, in: database) else {
                    throw StoreError("release", "no message \(id)")
                }
                guard record.state == .held else {
                    let interrupted =
                        record.state == .releasing
                        ? " (another release is sending it, or one was interrupted)" : ""
                    throw StoreError(
                        "release",
                        "message \(id) is \(record.state.rawValue), not held\(interrupted)")
                }
                let original = record.input.recipients.map(\.address)
                let targets = try Self.targets(recipients, original: original, id: id)
                try QuarantineSchema.setState(
                    id: id, to: .releasing, lastError: nil, at: now, in: database)
                return (record, targets)
            }
        }
    }

    /// The requested recipients, each of which must be an original one (case-insensitive).
    private static func targets(
        _ requested: [String]?, original: [String], id: String
    ) throws(StoreError) -> [String] {
        guard let requested else {
            return original
        }
        var targets: [String] = []
        for address in requested {
            guard
                let match = original.first(where: {
                    $0.caseInsensitiveCompare(address) == .orderedSame
                })
            else {
                throw StoreError(
                    "release", "\(address) is not a recipient of message \(id)")
            }
            if !targets.contains(match) {
                targets.append(match)
            }
        }
        guard !targets.isEmpty else {
            throw StoreError("release", "no recipients given for message \(id)")
        }
        return targets
    }

    /// Puts a record back to held after a failed injection, recording why.
    private func releaseFailed(
        _ record: QuarantineRecord, reason: String, user: String, comment: String?
    ) throws(StoreError) {
        let entry = QuarantineHistoryEntry(
            time: Date(), user: user, action: "release-failed", comment: comment, detail: reason)
        try self.database.withLock { (database) throws(StoreError) in
            try database.transaction { () throws(StoreError) in
                try QuarantineSchema.setState(
                    id: record.id, to: .held, lastError: reason, at: entry.time, in: database)
                try QuarantineSchema.addHistory(id: record.id, entry, in: database)
            }
        }
        try self.audit?.append(self.auditEntry(record, entry))
    }

    static func timestamp(_ date: Date) -> String {
        let formatter = ISO8601DateFormatter()
        formatter.timeZone = TimeZone(identifier: "UTC")
        return formatter.string(from: date)
    }
}
