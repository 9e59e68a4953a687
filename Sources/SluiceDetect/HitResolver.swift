// Turns the matcher's raw matches in one normalised text into hits: keyword matches checked
// for word boundaries, identifier candidates checked for boundaries and validated (one
// identifier per stretch of text, strongest kind first), and confidence raised where a
// supporting keyword is near.

/// Interprets raw matches for one text.
struct HitResolver {
    /// Identifier kinds in the order they claim text; a later kind never reuses claimed bytes.
    static let priority: [IdentifierKind] = [
        .privateKey, .cloudCredential, .iban, .residentID, .creditCode, .bankCard,
        .socialSecurityNumber, .mobile,
    ]
    /// How far (normalised bytes) a supporting keyword may sit before or after an identifier.
    static let supportBefore = 60
    static let supportAfter = 30
    /// Keyword hits per list and text that get a context sample; later ones get none, so a
    /// flood of hits costs little.
    static let sampledHits = 16

    let roles: [Pattern.Role]
    let listNames: [String]
    let currentYear: Int

    let normalized: NormalizedText
    let original: [UInt8]
    let location: String

    func hits(from matches: [RawMatch]) -> [Hit] {
        var hits: [Hit] = []
        var longest: [Int: [Int: Int]] = [:]
        var candidates: [IdentifierKind: [Int: [Int]]] = [:]
        var support: [(kinds: [IdentifierKind], from: Int, to: Int)] = []
        var sampled: [Int: Int] = [:]
        func wantsSample(_ list: Int) -> Bool {
            sampled[list, default: 0] += 1
            return sampled[list, default: 0] <= Self.sampledHits
        }

        // A cache file that disagrees with its database must not crash a scan.
        for match in matches where match.pattern < self.roles.count {
            switch self.roles[match.pattern] {
            case .term(let list, let line, let length, let wordStart, let wordEnd):
                let from = match.to - length
                if self.isWord(from..<match.to, start: wordStart, end: wordEnd) {
                    hits.append(
                        self.keywordHit(
                            list, line, from..<match.to, expression: false,
                            sample: wantsSample(list)))
                }
            case .expression:
                longest[match.pattern, default: [:]][match.from] = max(
                    match.to, longest[match.pattern]?[match.from] ?? 0)
            case .identifier(let kind):
                candidates[kind, default: [:]][match.from, default: []].append(match.to)
            case .support(let kinds, let length, let wordStart, let wordEnd):
                let from = match.to - length
                if self.isWord(from..<match.to, start: wordStart, end: wordEnd) {
                    support.append((kinds, from, match.to))
                }
            }
        }

        for (pattern, ends) in longest.sorted(by: { $0.key < $1.key }) {
            guard case .expression(let list, let line) = self.roles[pattern] else {
                continue
            }
            for (from, to) in ends.sorted(by: { $0.key < $1.key }) {
                hits.append(
                    self.keywordHit(
                        list, line, from..<to, expression: true, sample: wantsSample(list)))
            }
        }
        hits += self.identifierHits(candidates, support: support)
        return hits
    }

    /// A keyword hit; without `sample`, its sample is empty.
    private func keywordHit(
        _ list: Int, _ line: Int, _ range: Range<Int>, expression: Bool, sample: Bool
    ) -> Hit {
        let bytes = Array(self.normalized.bytes[range])
        var context = ""
        if sample {
            let originalRange = self.normalized.originalRange(of: range, in: self.original)
            context = Evidence.context(self.original, originalRange, maskMatch: expression)
        }
        return Hit(
            detector: .keyword(self.listNames[list]), location: self.location,
            confidence: expression ? .medium : .high, sample: context,
            normalized: String(decoding: bytes, as: UTF8.self), line: line,
            valueKey: bytes.hashValue)
    }

    private func identifierHits(
        _ candidates: [IdentifierKind: [Int: [Int]]],
        support: [(kinds: [IdentifierKind], from: Int, to: Int)]
    ) -> [Hit] {
        var claimed: [Range<Int>] = []
        var hits: [(from: Int, hit: Hit)] = []
        for kind in Self.priority {
            for (from, ends) in (candidates[kind] ?? [:]).sorted(by: { $0.key < $1.key }) {
                for to in Set(ends).sorted(by: >) {
                    let range = from..<to
                    guard !claimed.contains(where: { $0.overlaps(range) }),
                        self.isIdentifierBoundary(range),
                        let value = self.validated(kind, range)
                    else {
                        continue
                    }
                    claimed.append(range)
                    let supported = support.contains { entry in
                        entry.kinds.contains(kind)
                            && ((entry.to <= from && from - entry.to <= Self.supportBefore)
                                || (entry.from >= to && entry.from - to <= Self.supportAfter))
                    }
                    hits.append((from, self.identifierHit(kind, value, supported: supported)))
                    break
                }
            }
        }
        return hits.sorted { $0.from < $1.from }.map(\.hit)
    }

    private func identifierHit(_ kind: IdentifierKind, _ value: [UInt8], supported: Bool) -> Hit {
        let masked = Evidence.mask(kind, value)
        var confidence = Self.baseConfidence(kind, value)
        if supported {
            confidence = confidence.raised
        }
        return Hit(
            detector: .identifier(kind), location: self.location, confidence: confidence,
            sample: masked, normalized: masked, line: nil, valueKey: value.hashValue)
    }

    static func baseConfidence(_ kind: IdentifierKind, _ value: [UInt8]) -> Confidence {
        switch kind {
        case .privateKey, .cloudCredential: return .high
        case .residentID: return value.count == 18 ? .medium : .low
        case .creditCode, .iban: return .medium
        case .bankCard, .mobile, .socialSecurityNumber: return .low
        }
    }

    /// The candidate's canonical value when it is a valid identifier of `kind`.
    private func validated(_ kind: IdentifierKind, _ range: Range<Int>) -> [UInt8]? {
        let bytes = self.normalized.bytes[range]
        var value = bytes.filter(CharacterClass.isASCIIAlphanumeric).map { byte in
            byte >= 0x61 && byte <= 0x7A ? byte - 0x20 : byte
        }
        switch kind {
        case .residentID:
            return IdentifierValidator.isResidentID(value, currentYear: self.currentYear)
                ? value : nil
        case .creditCode:
            return IdentifierValidator.isUnifiedSocialCreditCode(value) ? value : nil
        case .bankCard:
            return self.hasRegularGroups(bytes) && IdentifierValidator.isBankCard(value)
                ? value : nil
        case .mobile:
            value = Array(value.suffix(11))
            return IdentifierValidator.isMainlandMobile(value) ? value : nil
        case .iban:
            return IdentifierValidator.isIBAN(value) ? value : nil
        case .socialSecurityNumber:
            return IdentifierValidator.isSocialSecurityNumber(value) ? value : nil
        case .privateKey:
            return Array(String(decoding: bytes, as: UTF8.self).uppercased().utf8)
        case .cloudCredential:
            return self.hasCredentialCase(range) ? self.originalAlphanumerics(range) : nil
        }
    }

    /// Card numbers are written whole, in fours with a shorter last group (4-4-4-4, 4-4-4-4-3),
    /// or as 4-6-5 and 4-6-4 (Amex, Diners). Other groupings are columns of numbers, such as
    /// a spreadsheet's cells, that happen to pass the checks.
    private func hasRegularGroups(_ bytes: ArraySlice<UInt8>) -> Bool {
        let groups = bytes.split(whereSeparator: { $0 == 0x20 || $0 == 0x2D }).map(\.count)
        guard groups.count > 1 else {
            return true
        }
        if groups == [4, 6, 5] || groups == [4, 6, 4] {
            return true
        }
        return groups.dropLast().allSatisfy { $0 == 4 } && (1...4).contains(groups.last ?? 0)
    }

    /// Credential prefixes are case-sensitive in the original text (`AKIA`, `AIza`, `ghp_`).
    private func hasCredentialCase(_ range: Range<Int>) -> Bool {
        let value = self.originalAlphanumerics(range)
        let text = String(decoding: value, as: UTF8.self)
        if text.hasPrefix("AKIA") || text.hasPrefix("ASIA") {
            return value.allSatisfy { ($0 >= 0x41 && $0 <= 0x5A) || ($0 >= 0x30 && $0 <= 0x39) }
        }
        return ["LTAI", "AIza", "gh", "github_pat_", "xox"].contains { text.hasPrefix($0) }
    }

    private func originalAlphanumerics(_ range: Range<Int>) -> [UInt8] {
        let originalRange = self.normalized.originalRange(of: range, in: self.original)
        return self.original[originalRange].filter { byte in
            CharacterClass.isASCIIAlphanumeric(byte) || byte == 0x5F || byte == 0x2D
        }
    }

    /// Keyword boundaries: a term starting (ending) with a letter or digit needs a neighbour
    /// that is not one.
    private func isWord(_ range: Range<Int>, start: Bool, end: Bool) -> Bool {
        let bytes = self.normalized.bytes
        guard range.lowerBound >= 0 else {
            return false
        }
        if start && range.lowerBound > 0
            && CharacterClass.isASCIIAlphanumeric(bytes[range.lowerBound - 1])
        {
            return false
        }
        if end && range.upperBound < bytes.count
            && CharacterClass.isASCIIAlphanumeric(bytes[range.upperBound])
        {
            return false
        }
        return true
    }

    /// Identifier boundaries: no letter or digit on either side, nor a digit behind a joining
    /// `-`, `.` or `/` (a longer number such as a date or an order reference).
    private func isIdentifierBoundary(_ range: Range<Int>) -> Bool {
        let bytes = self.normalized.bytes
        let joiners: Set<UInt8> = [0x2D, 0x2E, 0x2F]
        if range.lowerBound > 0 {
            let before = bytes[range.lowerBound - 1]
            if CharacterClass.isASCIIAlphanumeric(before) || before == 0x5F {
                return false
            }
            if joiners.contains(before) && range.lowerBound > 1
                && IdentifierValidator.isDigit(bytes[range.lowerBound - 2])
            {
                return false
            }
        }
        if range.upperBound < bytes.count {
            let after = bytes[range.upperBound]
            if CharacterClass.isASCIIAlphanumeric(after) || after == 0x5F {
                return false
            }
            if joiners.contains(after) && range.upperBound + 1 < bytes.count
                && IdentifierValidator.isDigit(bytes[range.upperBound + 1])
            {
                return false
            }
        }
        return true
    }
}
