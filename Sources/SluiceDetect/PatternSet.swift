// Turns dictionaries into the pattern set compiled into the matcher: each term normalised
// like content and expanded to its Traditional/Simplified and regional phrase variants, each
// `/…/` line checked, plus the built-in identifier shapes and supporting keywords.

import Dispatch
import Foundation
import Synchronization

/// The patterns of one engine and the problems found on the way.
struct PatternSet: Sendable {
    /// OpenCC configurations whose output is added as a variant of every CJK term.
    static let variantConfigurations = ["tw2sp.json", "s2twp.json"]
    /// Regional spellings OpenCC 1.1 does not convert (Taiwan 身分 for mainland 身份).
    static let regionalSpellings = [("身份", "身分"), ("身分", "身份")]
    static let maximumTermLength = 256
    /// The first characters of the regional spellings, for a quick test before the search.
    private static let regionalFirsts = Set(regionalSpellings.compactMap(\.0.unicodeScalars.first))

    var patterns: [Pattern] = []
    var problems: [DetectError] = []

    init(lists: [TermList], normalizer: TextNormalizer) throws(DetectError) {
        for (index, list) in lists.enumerated() {
            let known = self.problems.count
            try self.add(list, index: index, normalizer: normalizer)
            self.problems[known...].sort { Self.line(of: $0) < Self.line(of: $1) }
        }
        self.addIdentifiers(normalizer: normalizer)
    }

    private mutating func add(
        _ list: TermList, index: Int, normalizer: TextNormalizer
    ) throws(DetectError) {
        let entries = list.entries
        var terms: [(line: Int, text: String)] = []
        for (line, entry) in entries {
            switch entry {
            case .term(let text):
                if let problem = Self.problem(withTerm: text) {
                    self.problems.append(
                        .invalidLine(file: list.file, line: line, message: problem))
                } else {
                    terms.append((line, text))
                }
            case .expression(let body):
                let pattern = Pattern.regularExpression(
                    body, role: .expression(list: index, line: line))
                if let problem = HyperscanMatcher.problem(with: pattern) {
                    let message = "invalid regular expression /\(body)/: \(problem)"
                    self.problems.append(
                        .invalidLine(file: list.file, line: line, message: message))
                } else {
                    self.patterns.append(pattern)
                }
            }
        }

        var seen = Set<[UInt8]>()
        let foldedForms = try Self.foldedVariants(of: terms.map(\.text), normalizer: normalizer)
        for ((line, text), folded) in zip(terms, foldedForms) {
            guard let primary = folded.first, primary.count >= 2,
                String(decoding: primary, as: UTF8.self).unicodeScalars.count >= 2
            else {
                let message = "term '\(text)' is shorter than 2 characters once normalised"
                self.problems.append(.invalidLine(file: list.file, line: line, message: message))
                continue
            }
            for bytes in folded where seen.insert(bytes).inserted {
                let role = Pattern.Role.term(
                    list: index, line: line, length: bytes.count,
                    wordStart: bytes.first.map(CharacterClass.isASCIIAlphanumeric) ?? false,
                    wordEnd: bytes.last.map(CharacterClass.isASCIIAlphanumeric) ?? false)
                self.patterns.append(.literal(bytes, role: role))
            }
        }
    }

    private mutating func addIdentifiers(normalizer: TextNormalizer) {
        self.patterns += Pattern.identifierShapes
        var kindsByKeyword: [[UInt8]: [IdentifierKind]] = [:]
        for kind in IdentifierKind.allCases {
            for word in Pattern.supportingKeywords[kind] ?? [] {
                kindsByKeyword[normalizer.normalize(word).bytes, default: []].append(kind)
            }
        }
        for (bytes, kinds) in kindsByKeyword.sorted(by: { $0.key.lexicographicallyPrecedes($1.key) }
        ) {
            let role = Pattern.Role.support(
                kinds: kinds, length: bytes.count,
                wordStart: bytes.first.map(CharacterClass.isASCIIAlphanumeric) ?? false,
                wordEnd: bytes.last.map(CharacterClass.isASCIIAlphanumeric) ?? false)
            self.patterns.append(.literal(bytes, role: role))
        }
    }

    private static func line(of problem: DetectError) -> Int {
        if case .invalidLine(_, let line, _) = problem {
            return line
        }
        return 0
    }

    /// Why a term line cannot be used, or nil.
    static func problem(withTerm text: String) -> String? {
        if text.unicodeScalars.count > Self.maximumTermLength {
            return "term is longer than \(Self.maximumTermLength) characters"
        }
        if text.unicodeScalars.contains(where: { $0.properties.generalCategory == .control }) {
            return "term contains a control character"
        }
        return nil
    }

    /// Each text's variants (`variants(of:)`) normalised, worked out on all cores for a long
    /// list.
    static func foldedVariants(
        of texts: [String], normalizer: TextNormalizer
    ) throws(DetectError) -> [[[UInt8]]] {
        // OpenCC loads its dictionaries for every conversion call: one chunk per core.
        let cores = ProcessInfo.processInfo.activeProcessorCount
        let chunkSize = max(1024, (texts.count + cores - 1) / max(cores, 1))
        let chunks = stride(from: 0, to: texts.count, by: chunkSize).map {
            $0..<min($0 + chunkSize, texts.count)
        }
        let results = Mutex<[Int: Result<[[[UInt8]]], DetectError>]>([:])
        DispatchQueue.concurrentPerform(iterations: chunks.count) { chunk in
            let result = Result { () throws(DetectError) in
                try Self.variants(of: Array(texts[chunks[chunk]])).map { forms in
                    forms.map { normalizer.normalize($0).bytes }
                }
            }
            results.withLock { $0[chunk] = result }
        }
        let finished = results.withLock { $0 }
        var folded: [[[UInt8]]] = []
        folded.reserveCapacity(texts.count)
        for chunk in chunks.indices {
            try folded += finished[chunk]?.get() ?? []
        }
        return folded
    }

    private static func mayHaveRegionalSpelling(_ text: String) -> Bool {
        text.unicodeScalars.contains { Self.regionalFirsts.contains($0) }
    }

    /// Each text with its variants (itself first): OpenCC conversions and regional spellings.
    static func variants(of texts: [String]) throws(DetectError) -> [[String]] {
        var result = texts.map { [$0] }
        let cjk = texts.indices.filter { index in
            texts[index].unicodeScalars.contains { CharacterClass.isCJK($0.value) }
        }
        guard !cjk.isEmpty else {
            return result
        }
        let originals = cjk.map { texts[$0] }
        for configuration in Self.variantConfigurations {
            let converted = try ChineseConverter.convert(originals, config: configuration)
            for (index, text) in zip(cjk, converted) where !result[index].contains(text) {
                result[index].append(text)
            }
        }
        for index in cjk where result[index].contains(where: Self.mayHaveRegionalSpelling) {
            for form in result[index] {
                for (from, to) in Self.regionalSpellings where form.contains(from) {
                    let respelled = form.replacingOccurrences(of: from, with: to)
                    if !result[index].contains(respelled) {
                        result[index].append(respelled)
                    }
                }
            }
        }
        return result
    }
}
