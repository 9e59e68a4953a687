// The byte loop of normalisation: one pass over UTF-8 input writing folded output into a
// buffer sized up front, with the rules applied on the way (ASCII lower case, white space
// collapsed, the separators between two CJK characters dropped) and the map back to the
// original kept as checkpoints. ASCII and unfolded two- and three-byte characters take short
// paths; folded characters, invalid bytes and supplementary scalars take a general one.

/// Output offsets where the original offset jumps, and the original offset at each.
struct OffsetMap {
    var checkpoints: [Int] = []
    var origins: [Int] = []

    /// Notes that output byte `output` came from original byte `origin`; returns the
    /// difference that holds from there on.
    @inline(never)
    mutating func record(_ output: Int, _ origin: Int) -> Int {
        self.checkpoints.append(output)
        self.origins.append(origin)
        return origin - output
    }

    /// Forgets the checkpoints at or past output offset `length`; returns the difference in
    /// force at `length`.
    mutating func truncate(to length: Int) -> Int {
        while let last = self.checkpoints.last, last >= length {
            self.checkpoints.removeLast()
            self.origins.removeLast()
        }
        return (self.origins.last ?? 0) - (self.checkpoints.last ?? 0)
    }
}

/// One normalising pass into a fixed buffer; gives up when a fold outgrows the buffer.
struct NormalizingPass {
    private let output: UnsafeMutablePointer<UInt8>
    /// How many bytes the output may run ahead of the input consumed.
    private let slack: Int
    static let spare = 4
    private(set) var count = 0
    private(set) var map = OffsetMap()
    /// Original offset minus output offset for the next byte, unless a checkpoint says else.
    private var delta = 0
    /// Output length just after the last CJK character, while only separators followed.
    private var cjkEnd = -1
    private var gap = 0
    private var afterSpace = true

    /// Writes into `output`, which holds the input's length plus `slack` bytes, plus
    /// `spare` bytes more that the fast paths may scribble on.
    init(output: UnsafeMutablePointer<UInt8>, slack: Int) {
        self.output = output
        self.slack = slack
    }

    /// Normalises `input`; false when the output needs more room than the buffer has.
    @inline(__always)
    mutating func run(_ input: UnsafeBufferPointer<UInt8>, _ table: FoldTable.Lookup) -> Bool {
        guard let bytes = input.baseAddress, let kinds = table.kinds.baseAddress else {
            return true
        }
        let end = input.count
        var index = 0
        while index < end {
            let lead = bytes[index]
            if lead < 0x80 {
                if self.cjkEnd < 0 && index &+ 8 <= end && self.plainASCII(bytes + index, index) {
                    index &+= 8
                    continue
                }
                self.ascii(lead, UInt8(truncatingIfNeeded: kinds[Int(lead)] >> 24), origin: index)
                index &+= 1
                continue
            }
            if lead >= 0xE0 && lead <= 0xEF && index &+ 2 < end {
                let second = bytes[index &+ 1]
                let third = bytes[index &+ 2]
                let scalar =
                    UInt32(lead & 0x0F) << 12 | UInt32(second & 0x3F) << 6 | UInt32(third & 0x3F)
                if second & 0xC0 == 0x80 && third & 0xC0 == 0x80 && scalar >= 0x800
                    && (scalar < 0xD800 || scalar > 0xDFFF)
                {
                    let entry = kinds[Int(scalar)]
                    let kind = UInt8(truncatingIfNeeded: entry >> 24)
                    if kind == FoldTable.Kind.cjk {
                        self.cjk(entry, origin: index)
                        index = self.cjkRun(bytes, end, kinds, from: index &+ 3)
                        continue
                    } else if kind == FoldTable.Kind.fold {
                        guard self.fold(scalar, table, origin: index, length: 3) else {
                            return false
                        }
                    } else {
                        self.wide(kind, bytes + index, 3, origin: index)
                    }
                    index &+= 3
                    continue
                }
            }
            let (scalar, length) = UTF8Lead.decode(input, at: index)
            guard self.general(scalar, length, bytes + index, table, origin: index) else {
                return false
            }
            index &+= length
        }
        return true
    }

    /// Eight ASCII bytes at once when lower-casing is all they need: no byte past ASCII,
    /// no white space but single spaces, and no CJK character before them whose gap they
    /// could extend. False, with nothing written, otherwise. Bytes are tested in parallel
    /// inside one 64-bit word; each test leaves 0x80 in the bytes it holds for.
    @inline(__always)
    private mutating func plainASCII(_ bytes: UnsafePointer<UInt8>, _ origin: Int) -> Bool {
        let ones: UInt64 = 0x0101_0101_0101_0101
        let highs: UInt64 = 0x8080_8080_8080_8080
        let word = UInt64(littleEndian: UnsafeRawPointer(bytes).loadUnaligned(as: UInt64.self))
        if word & highs != 0 {
            return false
        }
        // With every byte below 0x80, adding 0x80 - n sets a byte's top bit when it is >= n,
        // and no carry crosses into the next byte.
        func atLeast(_ value: UInt64) -> UInt64 {
            (word &+ (0x80 - value) &* ones) & highs
        }
        let controls = atLeast(0x09) & ~atLeast(0x0E)
        let spaceBits = (word ^ (0x20 &* ones))
        let spaces = ~((spaceBits & ~highs) &+ ~highs | spaceBits) & highs
        let spaceBefore = spaces << 8 | (self.afterSpace ? 0x80 : 0)
        if controls | (spaces & spaceBefore) != 0 {
            return false
        }
        let capitals = atLeast(0x41) & ~atLeast(0x5B)
        self.mark(origin)
        UnsafeMutableRawPointer(self.output + self.count).storeBytes(
            of: (word | capitals >> 2).littleEndian, as: UInt64.self)
        self.count &+= 8
        self.afterSpace = spaces >> 63 != 0
        return true
    }

    /// A character the fast paths do not take: two- and four-byte sequences and invalid bytes.
    private mutating func general(
        _ scalar: UInt32, _ length: Int, _ bytes: UnsafePointer<UInt8>, _ table: FoldTable.Lookup,
        origin: Int
    ) -> Bool {
        if length == 1 {
            // Not UTF-8: one byte becomes the three of U+FFFD.
            guard self.fits(3, consumed: 1, origin: origin) else {
                return false
            }
            self.writeReplacement(origin)
            return true
        }
        if scalar < 0x10000 {
            let kind = table.kind(scalar)
            if kind == FoldTable.Kind.fold {
                return self.fold(scalar, table, origin: origin, length: length)
            }
            if kind == FoldTable.Kind.cjk && length == 3 {
                self.cjk(table.kinds[Int(scalar)], origin: origin)
                return true
            }
            self.wide(kind, bytes, length, origin: origin)
            return true
        }
        if let folded = FoldTable.foldSupplementary(scalar) {
            guard self.fits(folded.count, consumed: length, origin: origin) else {
                return false
            }
            folded.withUnsafeBufferPointer { self.writeFolded($0, origin: origin) }
            return true
        }
        self.wide(FoldTable.kind(of: scalar), bytes, length, origin: origin)
        return true
    }

    /// A BMP scalar the table replaces.
    private mutating func fold(
        _ scalar: UInt32, _ table: FoldTable.Lookup, origin: Int, length: Int
    ) -> Bool {
        guard let folded = table.folded(scalar) else {
            return true
        }
        guard self.fits(folded.count, consumed: length, origin: origin) else {
            return false
        }
        self.writeFolded(folded, origin: origin)
        return true
    }

    /// Whether writing `count` bytes for `consumed` input bytes at `origin` stays in the
    /// buffer: the output may never run more than `slack` bytes ahead of the input.
    private func fits(_ count: Int, consumed: Int, origin: Int) -> Bool {
        self.count + count - (origin + consumed) <= self.slack
    }

    /// The bytes of a fold, each scalar in it written with the same origin and treated by its
    /// own kind (a fold is never folded again).
    private mutating func writeFolded(_ folded: UnsafeBufferPointer<UInt8>, origin: Int) {
        guard let base = folded.baseAddress else {
            return
        }
        var position = 0
        while position < folded.count {
            let (scalar, length) = UTF8Lead.decode(folded, at: position)
            if length == 1 {
                let byte = folded[position]
                self.ascii(byte, FoldTable.kind(of: UInt32(byte)), origin: origin)
            } else {
                let kind = FoldTable.kind(of: scalar)
                self.wide(kind, base + position, length, origin: origin)
            }
            position += length
        }
    }

    @inline(__always)
    private mutating func ascii(_ byte: UInt8, _ kind: UInt8, origin: Int) {
        if kind <= FoldTable.Kind.upper {
            self.mark(origin)
            self.output[self.count] = byte | kind &<< 5
            self.count &+= 1
            self.cjkEnd = -1
            self.afterSpace = false
        } else if kind == FoldTable.Kind.space {
            if self.cjkEnd >= 0 {
                self.gap &+= 1
            }
            if !self.afterSpace {
                self.mark(origin)
                self.output[self.count] = 0x20
                self.count &+= 1
                self.afterSpace = true
            }
        } else {
            if self.cjkEnd >= 0 {
                self.gap &+= 1
            }
            self.afterSpace = false
            self.mark(origin)
            self.output[self.count] = byte
            self.count &+= 1
        }
    }

    /// A three-byte CJK character: `entry` holds the bytes to write, packed.
    @inline(__always)
    private mutating func cjk(_ entry: UInt32, origin: Int) {
        self.bridge()
        self.mark(origin)
        let target = self.output + self.count
        target[0] = UInt8(truncatingIfNeeded: entry)
        target[1] = UInt8(truncatingIfNeeded: entry >> 8)
        target[2] = UInt8(truncatingIfNeeded: entry >> 16)
        self.count &+= 3
        self.cjkEnd = self.count
        self.gap = 0
        self.afterSpace = false
    }

    /// The CJK characters right after one just written that need nothing but their bytes
    /// written, in a tight loop; returns the offset after them.
    @inline(__always)
    private mutating func cjkRun(
        _ bytes: UnsafePointer<UInt8>, _ end: Int, _ kinds: UnsafePointer<UInt32>, from start: Int
    ) -> Int {
        // Three bytes in, three out: the map needs no checkpoint inside the run.
        var index = start
        var count = self.count
        let output = UnsafeMutableRawPointer(self.output)
        while index &+ 2 < end {
            let lead = bytes[index]
            let second = bytes[index &+ 1]
            let third = bytes[index &+ 2]
            guard lead & 0xF0 == 0xE0, second & 0xC0 == 0x80, third & 0xC0 == 0x80 else {
                break
            }
            let scalar =
                UInt32(lead & 0x0F) << 12 | UInt32(second & 0x3F) << 6 | UInt32(third & 0x3F)
            // Overlong forms and surrogates decode to scalars that are never of kind CJK.
            let entry = kinds[Int(scalar)]
            guard entry >> 24 == FoldTable.Kind.cjk else {
                break
            }
            // Four bytes stored, three kept: the buffer has room past the end for the fourth.
            (output + count).storeBytes(of: entry.littleEndian, as: UInt32.self)
            count &+= 3
            index &+= 3
        }
        self.count = count
        self.cjkEnd = count
        return index
    }

    /// Before a CJK character: drops the separators since the previous one, if few enough.
    @inline(__always)
    private mutating func bridge() {
        if self.cjkEnd >= 0 && self.gap > 0 && self.gap <= TextNormalizer.maximumGap {
            self.count = self.cjkEnd
            self.delta = self.map.truncate(to: self.count)
        }
    }

    /// A non-ASCII character kept as it is, of `kind` (never `fold`).
    @inline(__always)
    private mutating func wide(
        _ kind: UInt8, _ bytes: UnsafePointer<UInt8>, _ length: Int, origin: Int
    ) {
        if kind == FoldTable.Kind.cjk {
            self.bridge()
            self.copy(bytes, length, origin)
            self.cjkEnd = self.count
            self.gap = 0
        } else {
            if kind == FoldTable.Kind.bridge {
                if self.cjkEnd >= 0 {
                    self.gap &+= 1
                }
            } else {
                self.cjkEnd = -1
            }
            self.copy(bytes, length, origin)
        }
        self.afterSpace = false
    }

    private mutating func writeReplacement(_ origin: Int) {
        self.cjkEnd = -1
        self.afterSpace = false
        self.mark(origin)
        self.output[self.count] = 0xEF
        self.output[self.count + 1] = 0xBF
        self.output[self.count + 2] = 0xBD
        self.count += 3
    }

    @inline(__always)
    private mutating func copy(_ bytes: UnsafePointer<UInt8>, _ length: Int, _ origin: Int) {
        self.mark(origin)
        let target = self.output + self.count
        target[0] = bytes[0]
        target[1] = bytes[1]
        if length > 2 {
            target[2] = bytes[2]
            if length > 3 {
                target[3] = bytes[3]
            }
        }
        self.count &+= length
    }

    /// Records a checkpoint when the byte about to be written does not come from where the
    /// last checkpoint predicts.
    @inline(__always)
    private mutating func mark(_ origin: Int) {
        if self.count &+ self.delta != origin {
            self.delta = self.map.record(self.count, origin)
        }
    }
}
