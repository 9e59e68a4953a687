// The SQL of the quarantine records: tables, indexes, and the queries the store runs. Lists
// (recipients, findings, attachments) are kept as JSON; fired rules also go into their own
// table so `list --rule` and `stats` use an index.

import Foundation

enum QuarantineSchema {
    static let statements = """
        CREATE TABLE IF NOT EXISTS messages (
            id TEXT PRIMARY KEY,
            time REAL NOT NULL,
            queue_id TEXT,
            message_id TEXT,
            sender TEXT NOT NULL,
            subject TEXT NOT NULL,
            size INTEGER NOT NULL,
            recipients TEXT NOT NULL,
            rules TEXT NOT NULL,
            findings TEXT NOT NULL,
            attachments TEXT NOT NULL,
            encrypted INTEGER NOT NULL,
            state TEXT NOT NULL,
            state_time REAL NOT NULL,
            last_error TEXT
        );
        CREATE INDEX IF NOT EXISTS messages_time ON messages (time);
        CREATE INDEX IF NOT EXISTS messages_state_time ON messages (state, time);
        CREATE TABLE IF NOT EXISTS message_rules (
            rule TEXT NOT NULL,
            id TEXT NOT NULL REFERENCES messages (id) ON DELETE CASCADE,
            PRIMARY KEY (rule, id)
        ) WITHOUT ROWID;
        CREATE INDEX IF NOT EXISTS message_rules_id ON message_rules (id);
        CREATE TABLE IF NOT EXISTS history (
            id TEXT NOT NULL REFERENCES messages (id) ON DELETE CASCADE,
            time REAL NOT NULL,
            user TEXT NOT NULL,
            action TEXT NOT NULL,
            comment TEXT,
            detail TEXT
        );
        CREATE INDEX IF NOT EXISTS history_id ON history (id);
        """

    static let columns = """
        id, time, queue_id, message_id, sender, subject, size, recipients, rules, findings,
        attachments, encrypted, state, last_error
        """

    static func insert(
        id: String, record: QuarantineRecordInput, encrypted: Bool, into database: SQLiteDatabase
    ) throws(StoreError) {
        let time = record.time.timeIntervalSince1970
        try database.run(
            """
            INSERT INTO messages (\(self.columns), state_time)
            VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, 'held', NULL, ?)
            """,
            [
                .text(id), .real(time), .optional(record.queueID), .optional(record.messageID),
                .text(record.sender), .text(record.subject), .integer(Int64(record.size)),
                .text(try self.jsonText(record.recipients)), .text(try self.jsonText(record.rules)),
                .text(try self.jsonText(record.findings)),
                .text(try self.jsonText(record.attachments)), .integer(encrypted ? 1 : 0),
                .real(time),
            ])
        for rule in Set(record.rules) {
            try database.run(
                "INSERT INTO message_rules (rule, id) VALUES (?, ?)", [.text(rule), .text(id)])
        }
    }

    static func record(
        id: String, in database: SQLiteDatabase
    ) throws(StoreError)
        -> QuarantineRecord?
    {
        let statement = try database.prepare(
            "SELECT \(self.columns) FROM messages WHERE id = ?", [.text(id)])
        guard try statement.step() else {
            return nil
        }
        var record = try self.decode(statement)
        let history = try database.prepare(
            "SELECT time, user, action, comment, detail FROM history WHERE id = ? ORDER BY rowid",
            [.text(id)])
        while try history.step() {
            record.history.append(
                QuarantineHistoryEntry(
                    time: Date(timeIntervalSince1970: history.real(0)),
                    user: history.text(1) ?? "", action: history.text(2) ?? "",
                    comment: history.text(3), detail: history.text(4)))
        }
        return record
    }

    static func list(
        _ query: QuarantineQuery, in database: SQLiteDatabase
    ) throws(StoreError)
        -> QuarantinePage
    {
        var conditions: [String] = []
        var values: [SQLiteValue] = []
        if let state = query.state {
            conditions.append("state = ?")
            values.append(.text(state.rawValue))
        }
        if let sender = query.sender {
            conditions.append("instr(lower(sender), lower(?)) > 0")
            values.append(.text(sender))
        }
        if let rule = query.rule {
            conditions.append("id IN (SELECT id FROM message_rules WHERE rule = ?)")
            values.append(.text(rule))
        }
        if let since = query.since {
            conditions.append("time >= ?")
            values.append(.real(since.timeIntervalSince1970))
        }
        let filter = conditions.isEmpty ? "" : "WHERE " + conditions.joined(separator: " AND ")

        let count = try database.prepare("SELECT count(*) FROM messages \(filter)", values)
        let total = try count.step() ? count.integer(0) : 0
        let rows = try database.prepare(
            "SELECT \(self.columns) FROM messages \(filter) "
                + "ORDER BY time DESC, id LIMIT ? OFFSET ?",
            values + [.integer(Int64(query.limit)), .integer(Int64(query.offset))])
        var records: [QuarantineRecord] = []
        while try rows.step() {
            records.append(try self.decode(rows))
        }
        return QuarantinePage(records: records, total: total)
    }

    static func setState(
        id: String, to state: QuarantineState, lastError: String?, at time: Date,
        in database: SQLiteDatabase
    ) throws(StoreError) {
        try database.run(
            "UPDATE messages SET state = ?, last_error = ?, state_time = ? WHERE id = ?",
            [
                .text(state.rawValue), .optional(lastError), .real(time.timeIntervalSince1970),
                .text(id),
            ])
    }

    static func addHistory(
        id: String, _ entry: QuarantineHistoryEntry, in database: SQLiteDatabase
    ) throws(StoreError) {
        try database.run(
            "INSERT INTO history (id, time, user, action, comment, detail) "
                + "VALUES (?, ?, ?, ?, ?, ?)",
            [
                .text(id), .real(entry.time.timeIntervalSince1970), .text(entry.user),
                .text(entry.action), .optional(entry.comment), .optional(entry.detail),
            ])
    }

    static func records(
        before cutoff: Date, in database: SQLiteDatabase
    ) throws(StoreError)
        -> [QuarantineRecord]
    {
        let rows = try database.prepare(
            "SELECT \(self.columns) FROM messages WHERE time < ? ORDER BY time",
            [.real(cutoff.timeIntervalSince1970)])
        var records: [QuarantineRecord] = []
        while try rows.step() {
            records.append(try self.decode(rows))
        }
        return records
    }

    static func allIDs(in database: SQLiteDatabase) throws(StoreError) -> Set<String> {
        let rows = try database.prepare("SELECT id FROM messages")
        var ids = Set<String>()
        while try rows.step() {
            ids.insert(rows.text(0) ?? "")
        }
        return ids
    }

    static func remove(id: String, in database: SQLiteDatabase) throws(StoreError) {
        try database.run("DELETE FROM messages WHERE id = ?", [.text(id)])
    }

    static func stats(
        days: Int, in database: SQLiteDatabase
    ) throws(StoreError)
        -> QuarantineStats
    {
        QuarantineStats(
            byState: try self.counts(
                "SELECT state, count(*) FROM messages GROUP BY state ORDER BY 2 DESC, 1",
                in: database),
            byRule: try self.counts(
                "SELECT rule, count(*) FROM message_rules GROUP BY rule ORDER BY 2 DESC, 1",
                in: database),
            byDay: try self.counts(
                """
                SELECT date(time, 'unixepoch') AS day, count(*) FROM messages
                GROUP BY day ORDER BY day DESC LIMIT \(max(days, 1))
                """, in: database))
    }

    private static func counts(
        _ sql: String, in database: SQLiteDatabase
    ) throws(StoreError)
        -> [QuarantineStats.Count]
    {
        let rows = try database.prepare(sql)
        var counts: [QuarantineStats.Count] = []
        while try rows.step() {
            counts.append(.init(name: rows.text(0) ?? "", count: rows.integer(1)))
        }
        return counts
    }

    /// A record from a row selected with `columns`.
    private static func decode(_ row: SQLiteStatement) throws(StoreError) -> QuarantineRecord {
        let id = row.text(0) ?? ""
        let input = QuarantineRecordInput(
            time: Date(timeIntervalSince1970: row.real(1)), queueID: row.text(2),
            messageID: row.text(3), sender: row.text(4) ?? "", recipients: try self.decode(row, 7),
            subject: row.text(5) ?? "", size: row.integer(6), rules: try self.decode(row, 8),
            findings: try self.decode(row, 9), attachments: try self.decode(row, 10))
        let state = QuarantineState(rawValue: row.text(12) ?? "") ?? .held
        return QuarantineRecord(
            id: id, input: input, state: state, encrypted: row.integer(11) != 0,
            lastError: row.text(13))
    }

    private static func decode<Value: Decodable>(
        _ row: SQLiteStatement, _ column: Int32
    ) throws(StoreError) -> Value {
        let text = row.text(column) ?? "[]"
        guard let value = try? JSONDecoder().decode(Value.self, from: Data(text.utf8)) else {
            throw StoreError("quarantine database", "record has a damaged column \(column)")
        }
        return value
    }

    static func json<Value: Encodable>(_ value: Value) throws(StoreError) -> [UInt8] {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys, .withoutEscapingSlashes]
        encoder.dateEncodingStrategy = .iso8601
        guard let data = try? encoder.encode(value) else {
            throw StoreError("quarantine", "cannot encode a record")
        }
        return Array(data)
    }

    private static func jsonText<Value: Encodable>(_ value: Value) throws(StoreError) -> String {
        String(decoding: try self.json(value), as: UTF8.self)
    }
}
