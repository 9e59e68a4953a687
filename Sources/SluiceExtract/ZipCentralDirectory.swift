// A zip's central directory read before libarchive touches the data. It gives the count of
// members, which names are flagged UTF-8, which members are encrypted, and the byte span of each
// member; overlapping spans are the mark of a non-recursive zip bomb (the check Info-ZIP added
// for CVE-2019-13232) and make the archive unsafe to expand.

struct ZipCentralDirectory {
    struct Entry {
        var rawName: [UInt8]
        var utf8Flag: Bool
        var encrypted: Bool
        var compressedSize: UInt64
        var uncompressedSize: UInt64
        var localHeaderOffset: UInt64
    }

    var entries: [Entry]
    /// Bytes in front of the zip itself, added to every offset the directory gives.
    var shift: Int

    /// Parses the central directory of `bytes`; nil when there is no readable one.
    init?(_ bytes: UnsafeRawBufferPointer) {
        guard let end = Self.findEndRecord(bytes) else { return nil }
        var count = UInt64(bytes.le16(end + 10))
        var offset = UInt64(bytes.le32(end + 16))
        var size = UInt64(bytes.le32(end + 12))
        var recordStart = end
        if let zip64 = Self.zip64EndRecord(bytes, end: end) {
            count = bytes.le64(zip64 + 32)
            size = bytes.le64(zip64 + 40)
            offset = bytes.le64(zip64 + 48)
            recordStart = zip64
        }
        // Data in front of the zip (a self-extractor stub, an image) shifts every offset.
        var shift = 0
        let directoryStart = recordStart - Int(clamping: size)
        if bytes.le32(Int(clamping: offset)) != 0x0201_4b50, directoryStart > 0,
            bytes.le32(directoryStart) == 0x0201_4b50
        {
            shift = directoryStart - Int(clamping: offset)
        }
        self.shift = shift
        var entries: [Entry] = []
        var cursor = Int(clamping: offset) &+ shift
        while entries.count < count, cursor <= bytes.count - 46,
            bytes.le32(cursor) == 0x0201_4b50
        {
            let nameLength = Int(bytes.le16(cursor + 28))
            let extraLength = Int(bytes.le16(cursor + 30))
            let commentLength = Int(bytes.le16(cursor + 32))
            let nameStart = cursor + 46
            guard nameLength + extraLength <= bytes.count - nameStart else { break }
            let flags = bytes.le16(cursor + 8)
            var entry = Entry(
                rawName: Array(bytes[nameStart..<nameStart + nameLength]),
                utf8Flag: flags & 0x0800 != 0, encrypted: flags & 0x0001 != 0,
                compressedSize: UInt64(bytes.le32(cursor + 20)),
                uncompressedSize: UInt64(bytes.le32(cursor + 24)),
                localHeaderOffset: UInt64(bytes.le32(cursor + 42)))
            Self.applyZip64(
                &entry, bytes, extra: nameStart + nameLength, length: extraLength)
            entries.append(entry)
            cursor = nameStart + nameLength + extraLength + commentLength
        }
        self.entries = entries
    }

    /// Raw names of the entries flagged UTF-8.
    var utf8FlaggedNames: Set<[UInt8]> {
        Set(self.entries.filter(\.utf8Flag).map(\.rawName))
    }

    /// True when two members' local headers and data overlap.
    func hasOverlappingEntries(_ bytes: UnsafeRawBufferPointer) -> Bool {
        let sorted = self.entries.sorted { $0.localHeaderOffset < $1.localHeaderOffset }
        var previousEnd: UInt64 = 0
        for entry in sorted {
            if entry.localHeaderOffset < previousEnd { return true }
            let start = Int(clamping: entry.localHeaderOffset) &+ self.shift
            guard start <= bytes.count - 30, bytes.le32(start) == 0x0403_4b50 else {
                previousEnd = entry.localHeaderOffset &+ 1
                continue
            }
            let header = UInt64(30 + Int(bytes.le16(start + 26)) + Int(bytes.le16(start + 28)))
            previousEnd = entry.localHeaderOffset &+ header &+ entry.compressedSize
        }
        return false
    }

    private static func findEndRecord(_ bytes: UnsafeRawBufferPointer) -> Int? {
        guard bytes.count >= 22 else { return nil }
        let lowest = max(0, bytes.count - 22 - 0xFFFF)
        var index = bytes.count - 22
        while index >= lowest {
            if bytes.le32(index) == 0x0605_4b50 { return index }
            index -= 1
        }
        return nil
    }

    private static func zip64EndRecord(_ bytes: UnsafeRawBufferPointer, end: Int) -> Int? {
        let locator = end - 20
        guard locator >= 0, bytes.le32(locator) == 0x0706_4b50 else { return nil }
        let record = Int(clamping: bytes.le64(locator + 8))
        guard record <= bytes.count - 56, bytes.le32(record) == 0x0606_4b50 else {
            return nil
        }
        return record
    }

    /// Replaces saturated 32-bit fields with the values of the zip64 extra field.
    private static func applyZip64(
        _ entry: inout Entry, _ bytes: UnsafeRawBufferPointer, extra: Int, length: Int
    ) {
        var cursor = extra
        while cursor + 4 <= extra + length {
            let id = bytes.le16(cursor)
            let size = Int(bytes.le16(cursor + 2))
            var field = cursor + 4
            let fieldEnd = min(field + size, extra + length)
            if id == 0x0001 {
                if entry.uncompressedSize == 0xFFFF_FFFF, field + 8 <= fieldEnd {
                    entry.uncompressedSize = bytes.le64(field)
                    field += 8
                }
                if entry.compressedSize == 0xFFFF_FFFF, field + 8 <= fieldEnd {
                    entry.compressedSize = bytes.le64(field)
                    field += 8
                }
                if entry.localHeaderOffset == 0xFFFF_FFFF, field + 8 <= fieldEnd {
                    entry.localHeaderOffset = bytes.le64(field)
                }
                return
            }
            cursor += 4 + size
        }
    }
}
