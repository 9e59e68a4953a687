// Per-sender sending volume: what one message adds, the facts rules read, and the interface
// a counter implements. The in-memory counter serves one relay; a shared backend (Redis)
// for several relays implements the same protocol.

import Foundation

/// What one message adds to its sender's counters.
public struct VolumeObservation: Sendable {
    public var recipients: Int
    public var externalRecipients: Int
    public var externalDomains: [String]
    public var bytes: Int
    public var attachmentBytes: Int

    public init(
        recipients: Int, externalRecipients: Int, externalDomains: [String], bytes: Int,
        attachmentBytes: Int
    ) {
        self.recipients = recipients
        self.externalRecipients = externalRecipients
        self.externalDomains = externalDomains
        self.bytes = bytes
        self.attachmentBytes = attachmentBytes
    }
}

/// A sender's counters over the sliding windows.
public struct VolumeFacts: Equatable, Sendable, Codable {
    public var messagesLastMinute = 0
    public var messagesLastHour = 0
    public var messagesLastDay = 0
    public var recipientsLastHour = 0
    public var externalRecipientsLastHour = 0
    public var externalRecipientsLastDay = 0
    public var externalDomainsLastDay = 0
    public var bytesLastDay = 0
    public var attachmentBytesLastDay = 0
    public var blockedLastDay = 0
    /// The sender's median hourly count over the past week, counting active hours only.
    public var usualHourly = 0.0
    public var rateAnomaly = false

    public init() {}

    /// The facts as rules name them.
    public static let kinds: [String: FactKind] = [
        "sender.messages_last_minute": .number,
        "sender.messages_last_hour": .number,
        "sender.messages_last_day": .number,
        "sender.recipients_last_hour": .number,
        "sender.external_recipients_last_hour": .number,
        "sender.external_recipients_last_day": .number,
        "sender.external_domains_last_day": .number,
        "sender.bytes_last_day": .number,
        "sender.attachment_bytes_last_day": .number,
        "sender.blocked_last_day": .number,
        "sender.rate_anomaly": .bool,
    ]

    public var values: [String: FactValue] {
        [
            "sender.messages_last_minute": .number(Double(self.messagesLastMinute)),
            "sender.messages_last_hour": .number(Double(self.messagesLastHour)),
            "sender.messages_last_day": .number(Double(self.messagesLastDay)),
            "sender.recipients_last_hour": .number(Double(self.recipientsLastHour)),
            "sender.external_recipients_last_hour": .number(
                Double(self.externalRecipientsLastHour)),
            "sender.external_recipients_last_day": .number(
                Double(self.externalRecipientsLastDay)),
            "sender.external_domains_last_day": .number(Double(self.externalDomainsLastDay)),
            "sender.bytes_last_day": .number(Double(self.bytesLastDay)),
            "sender.attachment_bytes_last_day": .number(Double(self.attachmentBytesLastDay)),
            "sender.blocked_last_day": .number(Double(self.blockedLastDay)),
            "sender.rate_anomaly": .bool(self.rateAnomaly),
        ]
    }
}

/// One sender's line in `sluice stats senders`.
public struct SenderVolume: Equatable, Sendable, Codable {
    public var sender: String
    public var facts: VolumeFacts
}

/// Counts what senders send.
public protocol VolumeCounter: Sendable {
    /// Adds one message and returns the sender's counters including it.
    func record(_ observation: VolumeObservation, sender: String, at time: Date) -> VolumeFacts
    /// Counts a message of `sender` that was rejected or quarantined.
    func recordBlocked(sender: String, at time: Date)
    /// The busiest senders by messages in the window (60, 3600 or 86400 seconds).
    func top(_ count: Int, window: Int, at time: Date) -> [SenderVolume]
}

/// The key counters are kept under: the authenticated user when there is one, else the
/// envelope sender, lower-cased and without a `+tag`.
public enum SenderKey {
    public static func normalize(authenticatedUser: String?, sender: String) -> String {
        let raw = (authenticatedUser?.isEmpty == false ? authenticatedUser : nil) ?? sender
        let lowered = raw.lowercased()
        guard let at = lowered.lastIndex(of: "@") else {
            return lowered.isEmpty ? "<>" : lowered
        }
        var local = lowered[..<at]
        if let plus = local.firstIndex(of: "+"), plus != local.startIndex {
            local = local[..<plus]
        }
        return String(local) + String(lowered[at...])
    }
}
