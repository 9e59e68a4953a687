// A literal keyword search over raw bytes: ASCII letters match in any case, every other byte
// (UTF-8 Chinese included) must match exactly. It serves the `[detect] keywords` list of the
// configuration.

/// Finds which of a fixed set of terms occur in a byte buffer.
public struct KeywordMatcher: Sendable {
    private let terms: [[UInt8]]
    private let names: [String]

    /// `terms` are matched as given; empty terms are ignored.
    public init(terms: [String]) {
        let kept = terms.filter { !$0.isEmpty }
        self.names = kept
        self.terms = kept.map { Array($0.utf8).map(Self.fold) }
    }

    /// The terms that occur in `bytes`, each once, in configuration order.
    public func matches(in bytes: UnsafeRawBufferPointer) -> [String] {
        var found: [String] = []
        for (index, term) in self.terms.enumerated() where Self.contains(bytes, term) {
            found.append(self.names[index])
        }
        return found
    }

    private static func fold(_ byte: UInt8) -> UInt8 {
        byte >= 0x41 && byte <= 0x5A ? byte | 0x20 : byte
    }

    private static func contains(_ haystack: UnsafeRawBufferPointer, _ needle: [UInt8]) -> Bool {
        let count = haystack.count
        let length = needle.count
        guard length <= count, let first = needle.first else {
            return false
        }
        var position = 0
        while position <= count - length {
            if self.fold(haystack[position]) == first {
                var offset = 1
                while offset < length && self.fold(haystack[position + offset]) == needle[offset] {
                    offset += 1
                }
                if offset == length {
                    return true
                }
            }
            position += 1
        }
        return false
    }
}
