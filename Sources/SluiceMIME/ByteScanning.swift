// Byte-level search helpers shared by the parser and the decoders.
// Everything here works on raw bytes so that multi-megabyte bodies are scanned at memory speed;
// no `Character` or Foundation string search is used on message content.

import Glibc

typealias Bytes = UnsafeBufferPointer<UInt8>

enum ASCII {
    static let tab: UInt8 = 0x09
    static let lf: UInt8 = 0x0A
    static let cr: UInt8 = 0x0D
    static let space: UInt8 = 0x20
    static let quote: UInt8 = 0x22
    static let hyphen: UInt8 = 0x2D
    static let colon: UInt8 = 0x3A
    static let semicolon: UInt8 = 0x3B
    static let equals: UInt8 = 0x3D
    static let question: UInt8 = 0x3F
    static let backslash: UInt8 = 0x5C

    @inline(__always)
    static func lower(_ byte: UInt8) -> UInt8 {
        byte >= 0x41 && byte <= 0x5A ? byte | 0x20 : byte
    }

    @inline(__always)
    static func isBlank(_ byte: UInt8) -> Bool {
        byte == space || byte == tab
    }

    @inline(__always)
    static func isWhitespace(_ byte: UInt8) -> Bool {
        byte == space || byte == tab || byte == lf || byte == cr
    }

    /// The value of a hexadecimal digit in either case, or nil.
    @inline(__always)
    static func hexValue(_ byte: UInt8) -> UInt8? {
        switch byte {
        case 0x30...0x39: return byte - 0x30
        case 0x41...0x46: return byte - 0x37
        case 0x61...0x66: return byte - 0x57
        default: return nil
        }
    }
}

extension UnsafeBufferPointer where Element == UInt8 {
    /// The index of the first `byte` in `start..<end`, or nil.
    func firstIndex(of byte: UInt8, from start: Int, to end: Int) -> Int? {
        guard start < end, let base = self.baseAddress else { return nil }
        guard let hit = memchr(base + start, Int32(byte), end - start) else { return nil }
        return base.distance(to: hit.assumingMemoryBound(to: UInt8.self))
    }

    /// The index of the first occurrence of `needle` in `start..<end`, or nil. The first byte
    /// is found with memchr, so a needle that starts with a rare byte is found fastest.
    func firstIndex(of needle: [UInt8], from start: Int, to end: Int) -> Int? {
        guard let first = needle.first, end - start >= needle.count else { return nil }
        let last = end - needle.count
        var position = start
        while position <= last, let hit = self.firstIndex(of: first, from: position, to: last + 1) {
            var offset = 1
            while offset < needle.count, self[hit + offset] == needle[offset] { offset += 1 }
            if offset == needle.count { return hit }
            position = hit + 1
        }
        return nil
    }

    /// The end of the line starting at `start` (excluding CR LF or LF) and the start of the next.
    func lineBounds(from start: Int, to end: Int) -> (contentEnd: Int, next: Int) {
        guard let lf = self.firstIndex(of: ASCII.lf, from: start, to: end) else {
            return (end, end)
        }
        let contentEnd = lf > start && self[lf - 1] == ASCII.cr ? lf - 1 : lf
        return (contentEnd, lf + 1)
    }

    /// Whether `start..<end` equals `literal`, ignoring ASCII case.
    func matchesCaseInsensitive(_ literal: StaticString, at start: Int, end: Int) -> Bool {
        let count = literal.utf8CodeUnitCount
        guard start >= 0, start + count <= end else { return false }
        let pointer = literal.utf8Start
        for offset in 0..<count where ASCII.lower(self[start + offset]) != pointer[offset] {
            return false
        }
        return true
    }

    /// `start..<end` with blanks and line breaks trimmed from both sides.
    func trimmed(_ start: Int, _ end: Int) -> Range<Int> {
        var lower = start
        var upper = end
        while lower < upper, ASCII.isWhitespace(self[lower]) { lower += 1 }
        while upper > lower, ASCII.isWhitespace(self[upper - 1]) { upper -= 1 }
        return lower..<upper
    }

    /// Whether every byte in `range` is below 0x80.
    func isASCII(_ range: Range<Int>) -> Bool {
        var index = range.lowerBound
        let end = range.upperBound
        while index + 8 <= end, let base = self.baseAddress {
            let word = UnsafeRawPointer(base + index).loadUnaligned(as: UInt64.self)
            if word & 0x8080_8080_8080_8080 != 0 { return false }
            index += 8
        }
        while index < end {
            if self[index] >= 0x80 { return false }
            index += 1
        }
        return true
    }

    /// The bytes in `range` copied into an array.
    func copyBytes(_ range: Range<Int>) -> [UInt8] {
        guard !range.isEmpty else { return [] }
        return Array(UnsafeBufferPointer(rebasing: self[range]))
    }

    /// The bytes in `range` as a lower-cased ASCII string (for header names and tokens).
    func lowercasedASCII(_ range: Range<Int>) -> String {
        String(decoding: self[range].map(ASCII.lower), as: UTF8.self)
    }
}

extension Array where Element == UInt8 {
    /// Lower-cased ASCII bytes of a string, used to build search needles.
    init(lowercasedASCII string: String) {
        self = string.utf8.map(ASCII.lower)
    }
}
