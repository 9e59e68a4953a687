// A thin, throwing wrapper over one SQLite connection for the quarantine records: WAL mode,
// a busy timeout so writers from the milter and the review CLI wait for each other instead
// of failing, and immediate write transactions so a waiting writer never has to upgrade.

import CSQLite
import Foundation

/// One connection to a SQLite database. Not thread-safe: the store guards it with a mutex.
final class SQLiteDatabase {
    /// How long a statement waits for another connection's lock before giving up.
    static let busyTimeoutMilliseconds: Int32 = 30_000

    let path: String
    private var handle: OpaquePointer?

    /// Opens (creating when allowed) the database at `path` in WAL mode.
    init(path: String, create: Bool) throws(StoreError) {
        self.path = path
        var flags = SQLITE_OPEN_READWRITE | SQLITE_OPEN_NOMUTEX
        if create {
            flags |= SQLITE_OPEN_CREATE
        }
        var handle: OpaquePointer?
        let status = sqlite3_open_v2(path, &handle, flags, nil)
        self.handle = handle
        guard status == SQLITE_OK else {
            let message = self.lastMessage
            sqlite3_close_v2(handle)
            self.handle = nil
            throw StoreError("quarantine database", "cannot open \(path): \(message)")
        }
        sqlite3_busy_timeout(handle, Self.busyTimeoutMilliseconds)
        // A reviewer in the store's group may only read: the mode is already set then.
        if !self.isReadOnly {
            try self.execute("PRAGMA journal_mode=WAL")
        }
        try self.execute("PRAGMA synchronous=FULL")
        try self.execute("PRAGMA foreign_keys=ON")
    }

    /// Whether SQLite opened the file read-only (no write permission on it).
    var isReadOnly: Bool {
        sqlite3_db_readonly(self.handle, "main") == 1
    }

    deinit {
        sqlite3_close_v2(self.handle)
    }

    /// The error text of the last failed call on this connection.
    var lastMessage: String {
        guard let handle = self.handle, let text = sqlite3_errmsg(handle) else {
            return "out of memory"
        }
        return String(cString: text)
    }

    /// Runs SQL that returns no rows (several statements allowed).
    func execute(_ sql: String) throws(StoreError) {
        var errorText: UnsafeMutablePointer<CChar>?
        let status = sqlite3_exec(self.handle, sql, nil, nil, &errorText)
        guard status == SQLITE_OK else {
            let message = errorText.map { String(cString: $0) } ?? self.lastMessage
            sqlite3_free(errorText)
            throw StoreError("quarantine database", "\(self.path): \(message)")
        }
    }

    /// Prepares one statement with its parameters bound in order.
    func prepare(_ sql: String, _ values: [SQLiteValue] = []) throws(StoreError) -> SQLiteStatement
    {
        var statement: OpaquePointer?
        guard sqlite3_prepare_v2(self.handle, sql, -1, &statement, nil) == SQLITE_OK,
            let statement
        else {
            throw StoreError("quarantine database", "\(self.path): \(self.lastMessage)")
        }
        let prepared = SQLiteStatement(statement, database: self)
        try prepared.bind(values)
        return prepared
    }

    /// Runs one statement that returns no rows; returns the number of rows it changed.
    @discardableResult
    func run(_ sql: String, _ values: [SQLiteValue] = []) throws(StoreError) -> Int {
        let statement = try self.prepare(sql, values)
        while try statement.step() {}
        return Int(sqlite3_changes(self.handle))
    }

    /// Runs `body` inside `BEGIN IMMEDIATE … COMMIT`, rolling back when it throws.
    func transaction<Result>(
        _ body: () throws(StoreError) -> Result
    ) throws(StoreError) -> Result {
        try self.execute("BEGIN IMMEDIATE")
        do {
            let result = try body()
            try self.execute("COMMIT")
            return result
        } catch {
            try? self.execute("ROLLBACK")
            throw error
        }
    }
}

/// A value bound to a statement parameter.
enum SQLiteValue {
    case text(String)
    case integer(Int64)
    case real(Double)
    case null

    static func optional(_ text: String?) -> SQLiteValue {
        text.map { .text($0) } ?? .null
    }
}

/// A prepared statement; finalized when released.
final class SQLiteStatement {
    private let handle: OpaquePointer
    private let database: SQLiteDatabase

    init(_ handle: OpaquePointer, database: SQLiteDatabase) {
        self.handle = handle
        self.database = database
    }

    deinit {
        sqlite3_finalize(self.handle)
    }

    func bind(_ values: [SQLiteValue]) throws(StoreError) {
        // SQLite copies bound text immediately with SQLITE_TRANSIENT.
        let transient = unsafeBitCast(-1, to: sqlite3_destructor_type.self)
        for (offset, value) in values.enumerated() {
            let index = Int32(offset + 1)
            let status: Int32
            switch value {
            case .text(let text):
                status = sqlite3_bind_text(self.handle, index, text, -1, transient)
            case .integer(let number): status = sqlite3_bind_int64(self.handle, index, number)
            case .real(let number): status = sqlite3_bind_double(self.handle, index, number)
            case .null: status = sqlite3_bind_null(self.handle, index)
            }
            guard status == SQLITE_OK else {
                throw StoreError("quarantine database", "bind: \(self.database.lastMessage)")
            }
        }
    }

    /// Advances to the next row; false when done.
    func step() throws(StoreError) -> Bool {
        switch sqlite3_step(self.handle) {
        case SQLITE_ROW:
            return true
        case SQLITE_DONE:
            return false
        default:
            throw StoreError(
                "quarantine database", "\(self.database.path): \(self.database.lastMessage)")
        }
    }

    func text(_ column: Int32) -> String? {
        guard let bytes = sqlite3_column_text(self.handle, column) else {
            return nil
        }
        return String(cString: bytes)
    }

    func integer(_ column: Int32) -> Int {
        Int(sqlite3_column_int64(self.handle, column))
    }

    func real(_ column: Int32) -> Double {
        sqlite3_column_double(self.handle, column)
    }
}
