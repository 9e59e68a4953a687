// Masked evidence: what a finding may show of what it found. Identifiers keep only the parts
// that identify nothing alone (a region prefix, the last four digits); keyword hits show a few
// characters around the term with every digit masked, so no identifier leaks through context.

/// Builders of masked samples.
enum Evidence {
    /// Characters of context shown on each side of a keyword hit.
    static let contextRadius = 12

    /// The masked form of an identifier given in canonical form (ASCII, no separators).
    static func mask(_ kind: IdentifierKind, _ value: [UInt8]) -> String {
        let text = String(decoding: value, as: UTF8.self)
        switch kind {
        case .residentID:
            return self.keep(text, first: 6, last: 4)
        case .creditCode:
            return self.keep(text, first: 2, last: 4)
        case .mobile:
            return self.keep(text, first: 3, last: 4)
        case .iban:
            return self.keep(text, first: 4, last: 4)
        case .socialSecurityNumber:
            return "***-**-" + text.suffix(4)
        case .bankCard:
            let middle = String(repeating: "*", count: max(0, text.count - 8))
            var groups: [String] = [String(text.prefix(4))]
            var rest = Substring(middle)
            while !rest.isEmpty {
                groups.append(String(rest.prefix(4)))
                rest = rest.dropFirst(4)
            }
            groups.append(String(text.suffix(4)))
            return groups.joined(separator: " ")
        case .privateKey:
            return text
        case .cloudCredential:
            return text.prefix(4) + "****" + text.suffix(4)
        }
    }

    private static func keep(_ text: String, first: Int, last: Int) -> String {
        guard text.count > first + last else {
            return String(repeating: "*", count: text.count)
        }
        return text.prefix(first) + String(repeating: "*", count: text.count - first - last)
            + text.suffix(last)
    }

    /// The original text of `range` with a little context on each side, made printable on one
    /// line. Digits in the context are masked; in the match too when `maskMatch` is set.
    static func context(_ original: [UInt8], _ range: Range<Int>, maskMatch: Bool) -> String {
        var start = range.lowerBound
        for _ in 0..<self.contextRadius where start > 0 {
            start -= 1
            while start > 0 && original[start] & 0xC0 == 0x80 {
                start -= 1
            }
        }
        var end = range.upperBound
        for _ in 0..<self.contextRadius where end < original.count {
            end = min(original.count, end + UTF8Lead.length(original[end]))
        }
        let before = self.printable(original[start..<range.lowerBound], maskDigits: true)
        let match = self.printable(original[range], maskDigits: maskMatch)
        let after = self.printable(original[range.upperBound..<end], maskDigits: true)
        let open = start > 0 ? "…" : ""
        let close = end < original.count ? "…" : ""
        return open + before + "[" + match + "]" + after + close
    }

    private static func printable(_ bytes: ArraySlice<UInt8>, maskDigits: Bool) -> String {
        var result = ""
        var lastWasSpace = false
        for scalar in String(decoding: bytes, as: UTF8.self).unicodeScalars {
            let properties = scalar.properties
            if properties.isWhitespace || properties.generalCategory == .control {
                if !lastWasSpace {
                    result += " "
                }
                lastWasSpace = true
                continue
            }
            lastWasSpace = false
            if properties.generalCategory == .format {
                continue
            }
            if maskDigits && properties.numericType != nil {
                result += "*"
            } else {
                result.unicodeScalars.append(scalar)
            }
        }
        return result
    }
}
