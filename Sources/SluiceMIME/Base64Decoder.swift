// Tolerant base64 decoding (RFC 2045 section 6.8) for message bodies and encoded words.
// Whitespace and characters outside the alphabet are skipped, padding in the middle of the data
// ends one quantum and decoding continues, and a truncated tail yields whatever bytes it holds.

enum Base64Decoder {
    /// Sextet values; 0x80 marks bytes outside the alphabet, 0x40 marks the pad character.
    private static let table: [UInt8] = {
        var table = [UInt8](repeating: 0x80, count: 256)
        let alphabet = Array(
            "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/".utf8)
        for (value, byte) in alphabet.enumerated() { table[Int(byte)] = UInt8(value) }
        table[Int(ASCII.equals)] = 0x40
        return table
    }()

    /// For the fast path: four tables of 256 entries holding each sextet already shifted to its
    /// place in a 24-bit group, so a quantum decodes with four loads and three ORs. Bytes
    /// outside the alphabet (and the pad) carry bit 24, so one comparison finds them.
    private static let shiftedTables: [UInt32] = {
        var tables = [UInt32](repeating: 0x0100_0000, count: 4 * 256)
        for byte in 0..<256 where table[byte] < 0x40 {
            let sextet = UInt32(table[byte])
            for position in 0..<4 {
                tables[position * 256 + byte] = sextet << UInt32(18 - 6 * position)
            }
        }
        return tables
    }()

    /// Decodes `range` of `input`, producing at most `limit` bytes.
    static func decode(_ input: Bytes, _ range: Range<Int>, limit: Int = .max) -> TransferDecoding {
        let limited = limit < range.count / 4 * 3 + 3
        let capacity = limited ? max(limit, 0) : range.count / 4 * 3 + 3
        var garbage = 0
        var padsMidStream = 0
        var leftover = 0
        var truncated = false
        let output = [UInt8](unsafeUninitializedCapacity: capacity) { out, written in
            table.withUnsafeBufferPointer { table in
                shiftedTables.withUnsafeBufferPointer { shifted in
                    var state = DecoderState()
                    var index = range.lowerBound
                    let end = range.upperBound
                    while index < end {
                        if state.count == 0 {
                            fastLoop(input, &index, end, shifted, out, &written, capacity)
                            if index >= end { break }
                        }
                        let byte = input[index]
                        let sextet = table[Int(byte)]
                        index += 1
                        if sextet == 0x80 {
                            if !ASCII.isWhitespace(byte) { garbage += 1 }
                            continue
                        }
                        if sextet == 0x40 {
                            if state.count > 0, index < end, hasDataAfterPadding(input, index, end)
                            {
                                padsMidStream += 1
                            }
                            state.flush(into: out, written: &written, capacity: capacity)
                            continue
                        }
                        state.push(sextet)
                        if state.count == 4 {
                            state.flush(into: out, written: &written, capacity: capacity)
                        }
                        if written >= capacity && limited {
                            truncated = index < end
                            break
                        }
                    }
                    leftover = state.count
                    state.flush(into: out, written: &written, capacity: capacity)
                }
            }
        }
        var damage: [String] = []
        if garbage > 0 { damage.append("\(garbage) bytes outside the base64 alphabet skipped") }
        if padsMidStream > 0 { damage.append("padding inside the data") }
        if leftover == 1 { damage.append("truncated final quantum") }
        return TransferDecoding(
            bytes: output,
            damage: damage.isEmpty ? nil : damage.joined(separator: "; "),
            truncated: truncated
        )
    }

    /// Decodes a whole byte array (encoded words and tests).
    static func decode(_ bytes: [UInt8]) -> TransferDecoding {
        bytes.withUnsafeBufferPointer { decode($0, 0..<$0.count) }
    }

    /// Decodes whole quanta of valid characters until one is not, or the output is full.
    @inline(__always)
    private static func fastLoop(
        _ input: Bytes, _ index: inout Int, _ end: Int, _ shifted: UnsafeBufferPointer<UInt32>,
        _ out: UnsafeMutableBufferPointer<UInt8>, _ written: inout Int, _ capacity: Int
    ) {
        guard let target = UnsafeMutableRawPointer(out.baseAddress) else { return }
        while index + 4 <= end, written + 4 <= capacity {
            let group =
                shifted[Int(input[index])] | shifted[256 + Int(input[index + 1])]
                | shifted[512 + Int(input[index + 2])] | shifted[768 + Int(input[index + 3])]
            if group > 0x00FF_FFFF { return }
            target.storeBytes(of: (group << 8).bigEndian, toByteOffset: written, as: UInt32.self)
            written += 3
            index += 4
        }
    }

    private static func hasDataAfterPadding(_ input: Bytes, _ start: Int, _ end: Int) -> Bool {
        var index = start
        while index < end {
            let byte = input[index]
            if byte != ASCII.equals && !ASCII.isWhitespace(byte) { return true }
            index += 1
        }
        return false
    }

    /// Up to four sextets waiting to become bytes.
    private struct DecoderState {
        var bits: UInt32 = 0
        var count = 0

        @inline(__always)
        mutating func push(_ sextet: UInt8) {
            self.bits = self.bits << 6 | UInt32(sextet)
            self.count += 1
        }

        /// Emits the complete bytes held (a partial quantum of 2 or 3 sextets yields 1 or 2).
        @inline(__always)
        mutating func flush(
            into out: UnsafeMutableBufferPointer<UInt8>, written: inout Int, capacity: Int
        ) {
            let produced = self.count == 4 ? 3 : max(self.count - 1, 0)
            let aligned = self.bits << (6 * UInt32(4 - self.count))
            var shift: UInt32 = 16
            for _ in 0..<produced where written < capacity {
                out[written] = UInt8(truncatingIfNeeded: aligned >> shift)
                written += 1
                shift &-= 8
            }
            self.bits = 0
            self.count = 0
        }
    }
}
