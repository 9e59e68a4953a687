// The output side of normalisation: a growable byte buffer, the checkpoints mapping it back
// to the original, and the rules applied while writing: ASCII lower case, white space
// collapsed, and the gap between two CJK characters dropped when it holds only separators.

/// Writes normalised bytes and records where the map to the original jumps.
struct NormalizedWriter {
    /// ASCII classes: 0 lower-case letter or digit, 1 upper-case letter, 2 white space,
    /// 3 bridgeable separator, 4 anything else.
    private static let asciiClasses: [UInt8] = (0..<128).map { value in
        let byte = UInt8(value)
        if (byte >= 0x61 && byte <= 0x7A) || (byte >= 0x30 && byte <= 0x39) {
            return 0
        }
        if byte >= 0x41 && byte <= 0x5A {
            return 1
        }
        if CharacterClass.isSpace(UInt32(byte)) {
            return 2
        }
        return CharacterClass.isBridgeable(UInt32(byte)) ? 3 : 4
    }

    private var bytes: UnsafeMutablePointer<UInt8>
    private(set) var count = 0
    private var capacity: Int
    private let classes: UnsafeMutablePointer<UInt8>
    /// Owned buffers grow; a borrowed one records an overflow instead.
    private let growable: Bool
    /// Set when the borrowed buffer was too small; the output is then unusable.
    private(set) var overflowed = false

    /// See `NormalizedText`: output offsets where the original offset jumps, and its value.
    private(set) var checkpoints: [Int] = []
    private(set) var checkpointOrigins: [Int] = []
    /// The original offset the next output byte would have without a new checkpoint, minus
    /// the output offset.
    private var delta = 0

    /// Output length just after the last CJK character, while only separators followed.
    private var cjkEnd = -1
    private var gap = 0
    private var afterSpace = true

    /// Writes into a borrowed buffer of `capacity` bytes (at least 64).
    init(bytes: UnsafeMutablePointer<UInt8>, capacity: Int) {
        self.bytes = bytes
        self.capacity = capacity
        self.growable = false
        self.classes = .allocate(capacity: 128)
        self.classes.initialize(from: Self.asciiClasses, count: 128)
    }

    /// Writes into a buffer of its own that grows as needed.
    init(growableCapacity capacity: Int) {
        self.capacity = max(capacity, 64)
        self.bytes = .allocate(capacity: self.capacity)
        self.growable = true
        self.classes = .allocate(capacity: 128)
        self.classes.initialize(from: Self.asciiClasses, count: 128)
    }

    func deallocate() {
        if self.growable {
            self.bytes.deallocate()
        }
        self.classes.deallocate()
    }

    func result() -> NormalizedText {
        NormalizedText(
            bytes: Array(UnsafeBufferPointer(start: self.bytes, count: self.count)),
            checkpoints: self.checkpoints, checkpointOrigins: self.checkpointOrigins)
    }

    @inline(__always)
    mutating func ascii(_ byte: UInt8, origin: Int) {
        switch self.classes[Int(byte)] {
        case 0:
            self.put(byte, origin)
            self.cjkEnd = -1
            self.afterSpace = false
        case 1:
            self.put(byte | 0x20, origin)
            self.cjkEnd = -1
            self.afterSpace = false
        case 2:
            self.space(origin)
        case 3:
            self.noteSeparator()
            self.afterSpace = false
            self.put(byte, origin)
        default:
            self.cjkEnd = -1
            self.afterSpace = false
            self.put(byte, origin)
        }
    }

    /// A folded replacement: each scalar in it is written with the same origin.
    @inline(__always)
    mutating func folded(_ folded: UnsafeBufferPointer<UInt8>, origin: Int) {
        var position = 0
        while position < folded.count {
            let (scalar, length) = UTF8Lead.decode(folded, at: position)
            if length == 1 {
                self.ascii(folded[position], origin: origin)
            } else {
                let bytes = UnsafeBufferPointer(rebasing: folded[position..<position + length])
                self.scalar(scalar, bytes: bytes, origin: origin)
            }
            position += length
        }
    }

    /// U+FFFD for a byte that is not valid UTF-8.
    mutating func replacement(origin: Int) {
        self.cjkEnd = -1
        self.afterSpace = false
        self.mark(origin)
        for byte: UInt8 in [0xEF, 0xBF, 0xBD] {
            self.ensure(1)
            self.bytes[self.count] = byte
            self.count += 1
        }
    }

    /// A non-ASCII scalar kept as it is.
    @inline(__always)
    mutating func scalar(_ scalar: UInt32, bytes: UnsafeBufferPointer<UInt8>, origin: Int) {
        if CharacterClass.isCJK(scalar) {
            if self.cjkEnd >= 0 && self.gap > 0 && self.gap <= TextNormalizer.maximumGap {
                self.truncate(to: self.cjkEnd)
            }
            self.copy(bytes, origin)
            self.cjkEnd = self.count
            self.gap = 0
            self.afterSpace = false
            return
        }
        if CharacterClass.isBridgeable(scalar) {
            self.noteSeparator()
        } else {
            self.cjkEnd = -1
        }
        self.afterSpace = false
        self.copy(bytes, origin)
    }

    /// Appends one character's bytes, which came from `origin`.
    @inline(__always)
    private mutating func copy(_ bytes: UnsafeBufferPointer<UInt8>, _ origin: Int) {
        self.ensure(bytes.count)
        self.mark(origin)
        let output = self.bytes
        var count = self.count
        for byte in bytes {
            output[count] = byte
            count += 1
        }
        self.count = count
    }

    @inline(__always)
    private mutating func space(_ origin: Int) {
        self.noteSeparator()
        if !self.afterSpace {
            self.put(0x20, origin)
            self.afterSpace = true
        }
    }

    @inline(__always)
    private mutating func noteSeparator() {
        if self.cjkEnd >= 0 {
            self.gap += 1
        }
    }

    @inline(__always)
    private mutating func put(_ byte: UInt8, _ origin: Int) {
        self.ensure(1)
        self.mark(origin)
        let count = self.count
        self.bytes[count] = byte
        self.count = count + 1
    }

    /// Records a checkpoint when the character about to be written does not sit where the
    /// previous checkpoint predicts.
    @inline(__always)
    private mutating func mark(_ origin: Int) {
        if self.count + self.delta != origin {
            self.checkpoints.append(self.count)
            self.checkpointOrigins.append(origin)
            self.delta = origin - self.count
        }
    }

    /// Drops output from `length` on, and the checkpoints that pointed into it.
    private mutating func truncate(to length: Int) {
        self.count = length
        while let last = self.checkpoints.last, last >= length {
            self.checkpoints.removeLast()
            self.checkpointOrigins.removeLast()
        }
        self.delta = (self.checkpointOrigins.last ?? 0) - (self.checkpoints.last ?? 0)
    }

    @inline(__always)
    private mutating func ensure(_ extra: Int) {
        if self.count + extra > self.capacity {
            self.makeRoom(self.count + extra)
        }
    }

    private mutating func makeRoom(_ needed: Int) {
        if self.growable {
            self.grow(needed)
        } else {
            // Keep writing harmlessly from the start; the caller starts again with growth.
            self.overflowed = true
            self.count = 0
            self.cjkEnd = -1
            self.checkpoints.removeAll()
            self.checkpointOrigins.removeAll()
            self.delta = 0
        }
    }

    private mutating func grow(_ needed: Int) {
        let capacity = max(needed, self.capacity * 2)
        let bytes = UnsafeMutablePointer<UInt8>.allocate(capacity: capacity)
        bytes.moveInitialize(from: self.bytes, count: self.count)
        self.bytes.deallocate()
        self.bytes = bytes
        self.capacity = capacity
    }
}
