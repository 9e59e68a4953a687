// Tolerant quoted-printable decoding (RFC 2045 section 6.7) for bodies and Q encoded words.
// Soft line breaks are removed (also with blanks before the break), hex digits may be lower
// case, and an `=` not followed by two hex digits is kept literally and reported.

import Glibc

enum QuotedPrintableDecoder {
    /// Decodes `range` of `input` as a body, producing at most `limit` bytes.
    static func decode(_ input: Bytes, _ range: Range<Int>, limit: Int = .max) -> TransferDecoding {
        let capacity = min(range.count, max(limit, 0))
        var badEscapes = 0
        var truncated = false
        let output = [UInt8](unsafeUninitializedCapacity: capacity) { out, written in
            guard let source = input.baseAddress, let target = out.baseAddress else { return }
            var index = range.lowerBound
            let end = range.upperBound
            while index < end {
                // Copy the run up to the next `=` in one go; escaped text (CJK) often has the
                // next `=` right here, where a memchr call would cost more than it saves.
                let next =
                    input[index] == ASCII.equals
                    ? index : input.firstIndex(of: ASCII.equals, from: index, to: end) ?? end
                let run = min(next - index, capacity - written)
                if run > 0 {
                    memcpy(target + written, source + index, run)
                    written += run
                }
                if run < next - index {
                    truncated = true
                    return
                }
                index = next
                guard index < end else { break }
                index += 1
                if index + 1 < end, let high = ASCII.hexValue(input[index]),
                    let low = ASCII.hexValue(input[index + 1])
                {
                    guard written < capacity else {
                        truncated = true
                        return
                    }
                    out[written] = high << 4 | low
                    written += 1
                    index += 2
                    continue
                }
                if let after = softBreakEnd(input, index, end) {
                    index = after
                    continue
                }
                badEscapes += 1
                guard written < capacity else {
                    truncated = true
                    return
                }
                out[written] = ASCII.equals
                written += 1
            }
        }
        let damage = badEscapes > 0 ? "\(badEscapes) invalid escapes kept literally" : nil
        return TransferDecoding(bytes: output, damage: damage, truncated: truncated)
    }

    /// Decodes the text of a Q encoded word (RFC 2047 section 4.2): `_` stands for a space.
    static func decodeEncodedWord(_ text: ArraySlice<UInt8>) -> [UInt8] {
        var output: [UInt8] = []
        output.reserveCapacity(text.count)
        var index = text.startIndex
        while index < text.endIndex {
            let byte = text[index]
            if byte == ASCII.equals, index + 2 < text.endIndex,
                let high = ASCII.hexValue(text[index + 1]),
                let low = ASCII.hexValue(text[index + 2])
            {
                output.append(high << 4 | low)
                index += 3
                continue
            }
            output.append(byte == 0x5F ? ASCII.space : byte)
            index += 1
        }
        return output
    }

    /// Decodes a whole byte array as a body (tests and nested use).
    static func decode(_ bytes: [UInt8]) -> TransferDecoding {
        bytes.withUnsafeBufferPointer { decode($0, 0..<$0.count) }
    }

    /// If `=` at `start - 1` begins a soft line break (blanks, then CR LF or LF, or the end of
    /// the data), the index just past it.
    private static func softBreakEnd(_ input: Bytes, _ start: Int, _ end: Int) -> Int? {
        var index = start
        while index < end, ASCII.isBlank(input[index]) { index += 1 }
        if index == end { return end }
        if input[index] == ASCII.lf { return index + 1 }
        if input[index] == ASCII.cr {
            if index + 1 < end, input[index + 1] == ASCII.lf { return index + 2 }
            return index + 1
        }
        return nil
    }
}
