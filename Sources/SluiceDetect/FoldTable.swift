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
    }

    /// Runs `body` with direct access to the table, for the normaliser's byte loop.
    func withLookup<Result>(_ body: (Lookup) -> Result) -> Result {
        self.entries.withUnsafeBufferPointer { entries in
            self.storage.withUnsafeBufferPointer { storage in
                body(Lookup(entries: entries, storage: storage))
            }
        }
    }

    /// Unsafe views of the table, valid inside `withLookup`.
    struct Lookup {
        let entries: UnsafeBufferPointer<UInt32>
        let storage: UnsafeBufferPointer<UInt8>

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
