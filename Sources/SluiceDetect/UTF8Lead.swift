// Minimal UTF-8 decoding for the byte loops of normalisation and evidence: the length of a
// sequence from its lead byte, and one scalar at an offset with U+FFFD for broken sequences.

/// UTF-8 sequence helpers.
enum UTF8Lead {
    @inline(__always)
    static func length(_ lead: UInt8) -> Int {
        if lead < 0xC0 {
            return 1
        }
        if lead < 0xE0 {
            return 2
        }
        return lead < 0xF0 ? 3 : 4
    }

    /// The scalar at `index` and the number of bytes it used (at least 1).
    @inline(__always)
    static func decode(_ bytes: UnsafeBufferPointer<UInt8>, at index: Int) -> (UInt32, Int) {
        let lead = bytes[index]
        if lead < 0x80 {
            return (UInt32(lead), 1)
        }
        let length = self.length(lead)
        guard lead >= 0xC2, lead <= 0xF4, index + length <= bytes.count else {
            return (0xFFFD, 1)
        }
        var value = UInt32(lead) & (length == 2 ? 0x1F : length == 3 ? 0x0F : 0x07)
        for offset in 1..<length {
            let byte = bytes[index + offset]
            guard byte & 0xC0 == 0x80 else {
                return (0xFFFD, 1)
            }
            value = value << 6 | UInt32(byte & 0x3F)
        }
        // Overlong forms, surrogates and values past U+10FFFF are not UTF-8.
        if (length == 3 && (value < 0x800 || (value >= 0xD800 && value <= 0xDFFF)))
            || (length == 4 && (value < 0x10000 || value > 0x10FFFF))
        {
            return (0xFFFD, 1)
        }
        return (value, length)
    }
}
