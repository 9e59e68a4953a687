// A seeded pseudo-random generator and byte mutator for the damaged-input tests, so that a
// failing case reproduces from its seed.

/// A small deterministic generator (SplitMix64) so failures reproduce.
struct SplitMix {
    var state: UInt64

    mutating func next() -> UInt64 {
        self.state &+= 0x9E37_79B9_7F4A_7C15
        var value = self.state
        value = (value ^ (value >> 30)) &* 0xBF58_476D_1CE4_E5B9
        value = (value ^ (value >> 27)) &* 0x94D0_49BB_1331_11EB
        return value ^ (value >> 31)
    }

    mutating func below(_ bound: Int) -> Int {
        Int(self.next() % UInt64(max(bound, 1)))
    }

    /// `bytes` with a few bytes overwritten, removed or duplicated.
    mutating func mutate(_ bytes: [UInt8]) -> [UInt8] {
        var copy = bytes
        for _ in 0..<(1 + self.below(8)) where !copy.isEmpty {
            let at = self.below(copy.count)
            switch self.below(4) {
            case 0: copy[at] = UInt8(truncatingIfNeeded: self.next())
            case 1: copy.remove(at: at)
            case 2: copy.insert(contentsOf: copy[at..<min(copy.count, at + 16)], at: at)
            default: copy[at] = [0x00, 0xFF, 0x3C, 0x5C, 0x7B, 0x7D, 0x26][self.below(7)]
            }
        }
        return copy
    }
}
