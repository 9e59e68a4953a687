// The compiled form of a pattern set, in two Hyperscan databases: the literals (dictionary
// terms and supporting keywords) in one, the expressions (identifier shapes and `/…/` lines)
// in the other. Hyperscan compiles a large set of plain literals faster with no expressions
// among them, and the two databases compile side by side. Both report patterns by their
// index in the whole set, so callers see one matcher.

import Dispatch
import Synchronization

/// Literal and expression databases of one pattern set; safe to share between threads.
final class PatternMatcher: Sendable {
    private let literals: HyperscanMatcher?
    private let expressions: HyperscanMatcher?

    private init(literals: HyperscanMatcher?, expressions: HyperscanMatcher?) {
        self.literals = literals
        self.expressions = expressions
    }

    /// Compiles `patterns`; a pattern Hyperscan rejects is reported by its index in
    /// `patterns`.
    static func compile(_ patterns: [Pattern]) throws(PatternError) -> PatternMatcher {
        let groups = [
            patterns.indices.filter { patterns[$0].isLiteral },
            patterns.indices.filter { !patterns[$0].isLiteral },
        ]
        let compiled = Mutex<[Int: Result<HyperscanMatcher, PatternError>]>([:])
        DispatchQueue.concurrentPerform(iterations: groups.count) { group in
            let indices = groups[group]
            guard !indices.isEmpty else {
                return
            }
            let result = Result { () throws(PatternError) in
                try HyperscanMatcher.compile(indices.map { patterns[$0] }, ids: indices)
            }
            compiled.withLock { $0[group] = result }
        }
        let results = compiled.withLock { $0 }
        return PatternMatcher(
            literals: try results[0]?.get(), expressions: try results[1]?.get())
    }

    /// Every match in `text`, literals first; `complete` is false when a match limit stopped
    /// a scan.
    func scan(_ text: [UInt8]) -> (matches: [RawMatch], complete: Bool) {
        var matches: [RawMatch] = []
        var complete = true
        for matcher in [self.literals, self.expressions] {
            guard let matcher else {
                continue
            }
            let result = matcher.scan(text)
            matches += result.matches
            complete = complete && result.complete
        }
        return (matches, complete)
    }

    /// Both databases as bytes for the on-disk cache: per database a presence byte, then its
    /// length and bytes.
    func serialized() -> [UInt8]? {
        var bytes: [UInt8] = []
        for matcher in [self.literals, self.expressions] {
            guard let matcher else {
                bytes.append(0)
                continue
            }
            guard let database = matcher.serialized() else {
                return nil
            }
            bytes.append(1)
            RoleCoding.append(Int32(database.count), to: &bytes)
            bytes += database
        }
        return bytes
    }

    /// Restores what `serialized()` wrote; nil when the bytes do not fit this Hyperscan build
    /// or CPU.
    static func deserialize(_ reader: inout ByteReader) -> PatternMatcher? {
        var matchers: [HyperscanMatcher?] = []
        for _ in 0..<2 {
            guard let present = reader.take(1)?.first else {
                return nil
            }
            guard present == 1 else {
                matchers.append(nil)
                continue
            }
            guard let length = reader.integer(), length > 0, length <= reader.remaining,
                let database = reader.take(length).flatMap(HyperscanMatcher.deserialize)
            else {
                return nil
            }
            matchers.append(database)
        }
        guard reader.remaining == 0 else {
            return nil
        }
        return PatternMatcher(literals: matchers[0], expressions: matchers[1])
    }
}
