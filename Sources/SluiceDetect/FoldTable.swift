// The per-character folding behind normalisation, computed once per process: compatibility
// folding (full-width forms, ligatures, circled digits), lower case, removal of invisible
// format characters, every white space to one space, and Traditional to Simplified ideographs
// as OpenCC's t2s converts them one character at a time.

import Foundation

/// What one Unicode scalar becomes after folding.
final class FoldTable: Sendable {
    /// The shared table, or why it could not be built (OpenCC missing).
    static let shared: Result<FoldTable, DetectError> = Result { () throws(DetectError) in
        try FoldTable()
    }

    private static let unchanged: UInt32 = .max

    /// For each BMP scalar: `unchanged`, or `offset << 6 | length` into `storage`.
    private let entries: [UInt32]
    private let storage: [UInt8]
    /// For each BMP scalar, what the normaliser's byte loop does with it: the `Kind` in the
    /// top byte and, for a CJK character of three UTF-8 bytes, the three bytes to write
    /// below (its own, or those of its Simplified form; see `pack`). One load gives both.
    private let kinds: [UInt32]

    /// How the normaliser treats a BMP scalar, one byte per scalar.
    enum Kind {
        /// Written as it is; ends a run of CJK characters.
        static let keep: UInt8 = 0
        /// An ASCII capital, written in lower case.
        static let upper: UInt8 = 1
        /// ASCII white space, collapsed with its neighbours into one space.
        static let space: UInt8 = 2
        /// A separator that may sit inside a CJK term; written, but bridged between two CJK
        /// characters.
        static let bridge: UInt8 = 3
        /// A CJK character, written as it is.
        static let cjk: UInt8 = 4
        /// Replaced by its entry in the table.
        static let fold: UInt8 = 5
    }

    private init() throws(DetectError) {
        var entries = [UInt32](repeating: Self.unchanged, count: 0x10000)
        var storage: [UInt8] = []
        for value in UInt32(0x80)...0xFFFF {
            guard let scalar = Unicode.Scalar(value), let folded = Self.compatibilityFold(scalar)
            else {
                continue
            }
            let bytes = Array(folded.utf8)
            if bytes.count < 64 {
                entries[Int(value)] = UInt32(storage.count) << 6 | UInt32(bytes.count)
                storage += bytes
            }
        }
        try Self.addIdeographs(to: &entries, storage: &storage)
        self.entries = entries
        self.storage = storage
        self.kinds = (0..<0x10000).map { value in
            Self.packedKind(of: UInt32(value), entry: entries[value], storage: storage)
        }
    }

    /// The `kinds` entry of a BMP scalar whose fold-table entry is `entry`.
    private static func packedKind(of value: UInt32, entry: UInt32, storage: [UInt8]) -> UInt32 {
        guard entry != Self.unchanged else {
            let kind = Self.kind(of: value)
            guard kind == Kind.cjk, value >= 0x800 else {
                return UInt32(kind) << 24
            }
            let bytes = Unicode.Scalar(value).map { Array($0.utf8) } ?? []
            return Self.pack(kind, bytes)
        }
        // A fold to one CJK character of three bytes (Traditional to Simplified) takes the
        // CJK path with the folded bytes; any other fold the general one.
        let start = Int(entry >> 6)
        let bytes = storage[start..<start + Int(entry & 63)]
        let scalars = String(decoding: bytes, as: UTF8.self).unicodeScalars
        guard value >= 0x800, bytes.count == 3, let only = scalars.first, scalars.count == 1,
            Self.kind(of: only.value) == Kind.cjk
        else {
            return UInt32(Kind.fold) << 24
        }
        return Self.pack(Kind.cjk, Array(bytes))
    }

    /// A kind and three bytes as one entry: the kind in the top byte, the bytes below in
    /// memory order, so a little-endian store of the entry writes them first.
    private static func pack(_ kind: UInt8, _ bytes: [UInt8]) -> UInt32 {
        UInt32(kind) << 24 | UInt32(bytes[2]) << 16 | UInt32(bytes[1]) << 8 | UInt32(bytes[0])
    }

    /// The kind of a scalar the table leaves unchanged.
    static func kind(of scalar: UInt32) -> UInt8 {
        if scalar >= 0x41 && scalar <= 0x5A {
            return Kind.upper
        }
        if CharacterClass.isSpace(scalar) {
            return Kind.space
        }
        if CharacterClass.isBridgeable(scalar) {
            return Kind.bridge
        }
        return CharacterClass.isCJK(scalar) ? Kind.cjk : Kind.keep
    }

    /// Runs `body` with direct access to the table, for the normaliser's byte loop.
    func withLookup<Result>(_ body: (Lookup) -> Result) -> Result {
        self.entries.withUnsafeBufferPointer { entries in
            self.storage.withUnsafeBufferPointer { storage in
                self.kinds.withUnsafeBufferPointer { kinds in
                    body(Lookup(entries: entries, storage: storage, kinds: kinds))
                }
            }
        }
    }

    /// Unsafe views of the table, valid inside `withLookup`.
    struct Lookup {
        let entries: UnsafeBufferPointer<UInt32>
        let storage: UnsafeBufferPointer<UInt8>
        let kinds: UnsafeBufferPointer<UInt32>

        /// The `Kind` of a BMP scalar.
        @inline(__always)
        func kind(_ scalar: UInt32) -> UInt8 {
            UInt8(truncatingIfNeeded: self.kinds[Int(scalar)] >> 24)
        }

        /// The folded bytes of a BMP scalar, or nil when it is kept as it is.
        @inline(__always)
        func folded(_ scalar: UInt32) -> UnsafeBufferPointer<UInt8>? {
            let entry = self.entries[Int(scalar)]
            if entry == FoldTable.unchanged {
                return nil
            }
            let start = Int(entry >> 6)
            return UnsafeBufferPointer(rebasing: self.storage[start..<start + Int(entry & 63)])
        }
    }

    /// The folded UTF-8 of a scalar beyond the BMP, or nil when it is kept as it is.
    static func foldSupplementary(_ scalar: UInt32) -> [UInt8]? {
        guard let value = Unicode.Scalar(scalar), let folded = Self.compatibilityFold(value) else {
            return nil
        }
        return Array(folded.utf8)
    }

    /// NFKC plus lower case for scalars that change under it; nil when the scalar stays.
    private static func compatibilityFold(_ scalar: Unicode.Scalar) -> String? {
        let properties = scalar.properties
        if properties.generalCategory == .format || (0xFE00...0xFE0F).contains(scalar.value) {
            return ""
        }
        if properties.isWhitespace {
            return " "
        }
        guard properties.changesWhenNFKCCaseFolded else {
            return nil
        }
        let folded = String(scalar).precomposedStringWithCompatibilityMapping.lowercased()
        var result = ""
        for part in folded.unicodeScalars {
            if part.properties.generalCategory == .format {
                continue
            }
            result.unicodeScalars.append(part.properties.isWhitespace ? " " : part)
        }
        return result
    }

    /// Traditional to Simplified, one CJK unified ideograph at a time.
    private static func addIdeographs(
        to entries: inout [UInt32], storage: inout [UInt8]
    ) throws(DetectError) {
        let values = Array(UInt32(0x3400)...0x4DBF) + Array(UInt32(0x4E00)...0x9FFF)
        let characters = values.compactMap(Unicode.Scalar.init).map { String(Character($0)) }
        let simplified = try ChineseConverter.convert(characters, config: "t2s.json")
        for (original, converted) in zip(characters, simplified) where original != converted {
            guard converted.unicodeScalars.count == 1,
                let value = original.unicodeScalars.first?.value
            else {
                continue
            }
            let bytes = Array(converted.utf8)
            entries[Int(value)] = UInt32(storage.count) << 6 | UInt32(bytes.count)
            storage += bytes
        }
    }
}
