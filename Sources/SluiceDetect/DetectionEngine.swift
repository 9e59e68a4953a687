// The entry point of SluiceDetect: dictionaries and built-in detectors compiled into one
// matcher, then any number of concurrent scans. An engine never changes; reloading means
// building a new one and swapping it in whole. The compiled matcher is cached on disk.

import Foundation

/// A text to scan and the label findings will carry for it.
public struct ScanText: Sendable {
    public var location: String
    public var text: String

    public init(location: String, text: String) {
        self.location = location
        self.text = text
    }
}

/// The findings of one scan, and whether every text was scanned to the end.
public struct DetectionResult: Sendable {
    public var findings: [Finding]
    /// False when a text had so many matches that its scan stopped early.
    public var isComplete: Bool
}

/// Compiled dictionaries and detectors; safe to share between threads.
public final class DetectionEngine: Sendable {
    /// How the engine is built.
    public struct Options: Sendable {
        /// Where the serialized matcher is kept between runs; nil for no cache.
        public var cacheDirectory: String?
        /// The latest birth year a resident ID may carry.
        public var currentYear: Int

        public init(cacheDirectory: String? = nil, currentYear: Int = IdentifierValidator.thisYear)
        {
            self.cacheDirectory = cacheDirectory
            self.currentYear = currentYear
        }
    }

    /// The dictionaries compiled in, in name order.
    public let dictionaries: [TermList]
    /// True when the matcher came from the on-disk cache instead of being compiled.
    public let loadedFromCache: Bool
    /// Why the cache could not be written, if it could not; the engine works regardless.
    public let cacheProblem: String?
    /// Patterns in the matcher: term variants, expressions and built-in shapes.
    public let patternCount: Int

    private let normalizer: TextNormalizer
    private let matcher: PatternMatcher
    private let roles: [Pattern.Role]
    private let currentYear: Int

    /// Loads every `NAME.txt` of `dictionaryDirectory`.
    public convenience init(
        dictionaryDirectory: String, options: Options = Options()
    )
        throws(DetectError)
    {
        let lists = try DictionaryDirectory(path: dictionaryDirectory).load()
        try self.init(dictionaries: lists, options: options)
    }

    /// Compiles `dictionaries`; throws the first unusable line.
    public init(dictionaries: [TermList], options: Options = Options()) throws(DetectError) {
        let normalizer = try TextNormalizer()
        let cache = options.cacheDirectory.map { MatcherCache(directory: $0) }
        let fingerprint = MatcherCache.fingerprint(of: dictionaries)
        var cacheProblem: String?
        var fromCache = false
        let compiled: (roles: [Pattern.Role], matcher: PatternMatcher)
        if let cached = cache?.load(fingerprint, listCount: dictionaries.count) {
            compiled = cached
            fromCache = true
        } else {
            let set = try PatternSet(lists: dictionaries, normalizer: normalizer)
            if let problem = set.problems.first {
                throw problem
            }
            compiled = (set.patterns.map(\.role), try Self.compile(set, dictionaries))
            cacheProblem = cache?.store(compiled.matcher, compiled.roles, fingerprint: fingerprint)
        }

        self.dictionaries = dictionaries
        self.loadedFromCache = fromCache
        self.cacheProblem = cacheProblem
        self.patternCount = compiled.roles.count
        self.normalizer = normalizer
        self.matcher = compiled.matcher
        self.roles = compiled.roles
        self.currentYear = options.currentYear
    }

    /// Every unusable line of `dictionaries`, in file order; empty when all compile.
    public static func check(dictionaries: [TermList]) -> [DetectError] {
        do {
            let normalizer = try TextNormalizer()
            let set = try PatternSet(lists: dictionaries, normalizer: normalizer)
            if !set.problems.isEmpty {
                return set.problems
            }
            _ = try Self.compile(set, dictionaries)
            return []
        } catch {
            return [error]
        }
    }

    /// Scans `texts` and summarises the hits per detector.
    public func scan(texts: [ScanText]) -> DetectionResult {
        var hits: [Hit] = []
        var complete = true
        for text in texts {
            let result = self.hits(in: text.text, location: text.location)
            hits += result.hits
            complete = complete && result.isComplete
        }
        return DetectionResult(findings: Finding.summarize(hits), isComplete: complete)
    }

    /// Every hit in one text, in text order per kind.
    public func hits(in text: String, location: String) -> (hits: [Hit], isComplete: Bool) {
        let normalized = self.normalizer.normalize(text)
        let (matches, complete) = self.matcher.scan(normalized.bytes)
        // Supporting keywords alone make no hit; skip copying the original for them.
        let relevant = matches.contains { match in
            guard match.pattern < self.roles.count else {
                return false
            }
            if case .support = self.roles[match.pattern] {
                return false
            }
            return true
        }
        guard relevant else {
            return ([], complete)
        }
        let resolver = HitResolver(
            roles: self.roles, listNames: self.dictionaries.map(\.name),
            currentYear: self.currentYear, normalized: normalized, original: Array(text.utf8),
            location: location)
        return (resolver.hits(from: matches), complete)
    }

    private static func compile(
        _ set: PatternSet, _ lists: [TermList]
    ) throws(DetectError) -> PatternMatcher {
        do {
            return try PatternMatcher.compile(set.patterns)
        } catch {
            guard let index = error.index, index < set.patterns.count else {
                throw .compileFailed(error.message)
            }
            switch set.patterns[index].role {
            case .term(let list, let line, _, _, _), .expression(let list, let line):
                throw .invalidLine(file: lists[list].file, line: line, message: error.message)
            case .identifier, .support:
                throw .compileFailed(error.message)
            }
        }
    }
}
