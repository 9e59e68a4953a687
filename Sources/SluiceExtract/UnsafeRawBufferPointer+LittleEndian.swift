// Bounds-checked little-endian integer reads for binary container headers (zip records), so a
// damaged or hostile offset yields 0 instead of a trap.

extension UnsafeRawBufferPointer {
    /// Little-endian integers at `offset`; 0 when out of range.
    func le16(_ offset: Int) -> UInt16 {
        guard offset >= 0, offset <= self.count - 2 else { return 0 }
        return UInt16(self[offset]) | UInt16(self[offset + 1]) << 8
    }

    func le32(_ offset: Int) -> UInt32 {
        guard offset >= 0, offset <= self.count - 4 else { return 0 }
        return UInt32(self.le16(offset)) | UInt32(self.le16(offset + 2)) << 16
    }

    func le64(_ offset: Int) -> UInt64 {
        guard offset >= 0, offset <= self.count - 8 else { return 0 }
        return UInt64(self.le32(offset)) | UInt64(self.le32(offset + 4)) << 32
    }
}
