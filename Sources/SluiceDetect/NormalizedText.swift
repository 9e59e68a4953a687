// Normalised text and its map back to the original. The map is a short list of checkpoints:
// between two of them, normalised and original offsets advance together, so text that needs
// no folding costs no map at all.

/// Text after normalisation, with a map back to the original.
public struct NormalizedText: Sendable {
    /// The normalised text as UTF-8.
    public let bytes: [UInt8]
    /// Normalised offsets where the original offset jumps, ascending, and the original offset
    /// at each.
    let checkpoints: [Int]
    let checkpointOrigins: [Int]

    public var string: String {
        String(decoding: self.bytes, as: UTF8.self)
    }

    /// The original UTF-8 offset that normalised byte `offset` came from (inside a character
    /// that folded to several bytes, possibly a later byte of that character).
    public func originalOffset(of offset: Int) -> Int {
        var low = 0
        var high = self.checkpoints.count
        while low < high {
            let middle = (low + high) / 2
            if self.checkpoints[middle] <= offset {
                low = middle + 1
            } else {
                high = middle
            }
        }
        guard low > 0 else {
            return offset
        }
        return self.checkpointOrigins[low - 1] + (offset - self.checkpoints[low - 1])
    }

    /// The range of whole original characters that produced `range` of the normalised bytes.
    public func originalRange(of range: Range<Int>, in original: [UInt8]) -> Range<Int> {
        guard !range.isEmpty, range.lowerBound >= 0, range.upperBound <= self.bytes.count else {
            return 0..<0
        }
        var start = min(self.originalOffset(of: range.lowerBound), original.count)
        while start > 0 && start < original.count && original[start] & 0xC0 == 0x80 {
            start -= 1
        }
        var end = min(self.originalOffset(of: range.upperBound - 1) + 1, original.count)
        while end < original.count && original[end] & 0xC0 == 0x80 {
            end += 1
        }
        return start..<max(start, end)
    }
}
