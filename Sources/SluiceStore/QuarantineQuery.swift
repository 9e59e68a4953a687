// What reviewers ask of the quarantine: a filtered, paged listing (newest first) and counts
// by state, rule and day.

import Foundation

/// Filters and paging for `QuarantineStore.list`.
public struct QuarantineQuery: Equatable, Sendable {
    public var state: QuarantineState?
    /// Part of the envelope sender, case-insensitive.
    public var sender: String?
    /// A rule that fired, by exact name.
    public var rule: String?
    /// Only messages held at or after this time.
    public var since: Date?
    public var limit: Int
    public var offset: Int

    public init(
        state: QuarantineState? = nil, sender: String? = nil, rule: String? = nil,
        since: Date? = nil, limit: Int = 100, offset: Int = 0
    ) {
        self.state = state
        self.sender = sender
        self.rule = rule
        self.since = since
        self.limit = limit
        self.offset = offset
    }
}

/// One page of a listing.
public struct QuarantinePage: Equatable, Sendable {
    /// Newest first, without history.
    public var records: [QuarantineRecord]
    /// How many records match the query in all pages.
    public var total: Int
}

/// Counts for `sluice quarantine stats`.
public struct QuarantineStats: Codable, Equatable, Sendable {
    /// A label (state, rule or `YYYY-MM-DD`) and a count.
    public struct Count: Codable, Equatable, Sendable {
        public var name: String
        public var count: Int
    }

    public var byState: [Count]
    /// Most frequent first.
    public var byRule: [Count]
    /// Newest day first (UTC).
    public var byDay: [Count]

    enum CodingKeys: String, CodingKey {
        case byState = "by_state", byRule = "by_rule", byDay = "by_day"
    }
}
