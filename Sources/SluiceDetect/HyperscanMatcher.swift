// One compiled Hyperscan database, with a pool of scratch spaces so any number of threads can
// scan at once. Databases are compiled from `Pattern`s, or loaded from a serialized copy on
// disk. No Hyperscan type leaves this file.

import CHyperscan
import Foundation
import Synchronization

/// One raw match: pattern index and byte offsets in the scanned (normalised) text.
struct RawMatch: Sendable {
    var pattern: Int
    var from: Int
    var to: Int
}

/// A compiled, immutable Hyperscan block-mode database.
///
/// Unchecked `Sendable`: Hyperscan databases are read-only after compilation and documented
/// as safe to share between threads; each scan borrows its own scratch from the pool.
final class HyperscanMatcher: @unchecked Sendable {
    /// Matches kept per scanned text; past this, the text's scan stops and is marked partial.
    static let matchLimit = 200_000

    private let database: OpaquePointer
    private let prototype: OpaquePointer
    private let pool = Mutex<[Scratch]>([])

    private init(database: OpaquePointer) throws(DetectError) {
        var scratch: OpaquePointer?
        guard hs_alloc_scratch(database, &scratch) == HS_SUCCESS, let scratch else {
            hs_free_database(database)
            throw .compileFailed("cannot allocate scratch space")
        }
        self.database = database
        self.prototype = scratch
    }

    deinit {
        for scratch in self.pool.withLock({ $0 }) {
            hs_free_scratch(scratch.pointer)
        }
        hs_free_scratch(self.prototype)
        hs_free_database(self.database)
    }

    /// Compiles `patterns` into one database; a match reports the pattern's entry in `ids`,
    /// and so does a pattern Hyperscan rejects.
    static func compile(
        _ patterns: [Pattern], ids: [Int]
    ) throws(PatternError)
        -> HyperscanMatcher
    {
        let expressions = patterns.map { strdup($0.expression) }
        defer { expressions.forEach { free($0) } }
        let flags = patterns.map(\.flags)
        var database: OpaquePointer?
        var error: UnsafeMutablePointer<hs_compile_error_t>?
        let status = hs_compile_multi(
            expressions.map { UnsafePointer($0) }, flags, ids.map { UInt32($0) },
            UInt32(patterns.count),
            UInt32(HS_MODE_BLOCK), nil, &database, &error)
        guard status == HS_SUCCESS, let database else {
            let message = error.map { String(cString: $0.pointee.message) } ?? "status \(status)"
            let position = error.map { Int($0.pointee.expression) } ?? -1
            hs_free_compile_error(error)
            throw PatternError(
                index: position >= 0 && position < ids.count ? ids[position] : nil,
                message: message)
        }
        do {
            return try HyperscanMatcher(database: database)
        } catch {
            throw PatternError(index: nil, message: error.description)
        }
    }

    /// Checks one expression without compiling the set; returns Hyperscan's complaint, or
    /// says so when the expression could match empty text.
    static func problem(with pattern: Pattern) -> String? {
        var info: UnsafeMutablePointer<hs_expr_info_t>?
        var error: UnsafeMutablePointer<hs_compile_error_t>?
        let status = hs_expression_info(pattern.expression, pattern.flags, &info, &error)
        defer { free(info) }
        guard status == HS_SUCCESS else {
            let message = error.map { String(cString: $0.pointee.message) } ?? "status \(status)"
            hs_free_compile_error(error)
            return message
        }
        if let info, info.pointee.min_width == 0 {
            return "matches empty text"
        }
        return nil
    }

    /// The Hyperscan library version, part of the cache key.
    static var version: String {
        String(cString: hs_version())
    }

    /// Restores a database written by `serialized()`; nil when the bytes do not fit this
    /// Hyperscan build or CPU.
    static func deserialize(_ bytes: [UInt8]) -> HyperscanMatcher? {
        var database: OpaquePointer?
        let status = bytes.withUnsafeBufferPointer { buffer in
            buffer.withMemoryRebound(to: CChar.self) { chars in
                hs_deserialize_database(chars.baseAddress, chars.count, &database)
            }
        }
        guard status == HS_SUCCESS, let database else {
            return nil
        }
        return try? HyperscanMatcher(database: database)
    }

    /// The database as bytes for the on-disk cache.
    func serialized() -> [UInt8]? {
        var bytes: UnsafeMutablePointer<CChar>?
        var length = 0
        guard hs_serialize_database(self.database, &bytes, &length) == HS_SUCCESS, let bytes
        else {
            return nil
        }
        defer { free(bytes) }
        return Array(UnsafeRawBufferPointer(start: bytes, count: length))
    }

    /// Every match in `text`; `complete` is false when the match limit stopped the scan.
    func scan(_ text: [UInt8]) -> (matches: [RawMatch], complete: Bool) {
        guard let scratch = self.borrowScratch() else {
            return ([], false)
        }
        defer { self.pool.withLock { $0.append(scratch) } }

        // Hyperscan takes a 32-bit length; anything longer is scanned in part only.
        let length = UInt32(clamping: text.count)
        let sink = MatchSink()
        let status = text.withUnsafeBufferPointer { buffer in
            buffer.withMemoryRebound(to: CChar.self) { chars in
                hs_scan(
                    self.database, chars.baseAddress, length, 0, scratch.pointer,
                    { id, from, to, _, context in
                        guard let context else {
                            return 1
                        }
                        let sink = Unmanaged<MatchSink>.fromOpaque(context).takeUnretainedValue()
                        return sink.add(RawMatch(pattern: Int(id), from: Int(from), to: Int(to)))
                    },
                    Unmanaged.passUnretained(sink).toOpaque())
            }
        }
        return (sink.matches, status == HS_SUCCESS && Int(length) == text.count)
    }

    private func borrowScratch() -> Scratch? {
        if let scratch = self.pool.withLock({ $0.popLast() }) {
            return scratch
        }
        var scratch: OpaquePointer?
        guard hs_clone_scratch(self.prototype, &scratch) == HS_SUCCESS, let scratch else {
            return nil
        }
        return Scratch(pointer: scratch)
    }
}

/// A pattern Hyperscan refused: the index of the pattern when known, and its message.
struct PatternError: Error {
    var index: Int?
    var message: String
}

/// A Hyperscan scratch space; used by one scan at a time, handed between threads by the pool.
private struct Scratch: @unchecked Sendable {
    var pointer: OpaquePointer
}

/// Collects matches during one `hs_scan`.
private final class MatchSink {
    var matches: [RawMatch] = []

    func add(_ match: RawMatch) -> Int32 {
        self.matches.append(match)
        return self.matches.count < HyperscanMatcher.matchLimit ? 0 : 1
    }
}
