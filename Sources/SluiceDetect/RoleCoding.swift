// The cache file's encoding of pattern roles: five little-endian 32-bit integers each (tag,
// then four fields). Decoding checks every field, so a damaged file is a cache miss, never a
// crash or a wrong report.

/// Binary encoding of `Pattern.Role`.
enum RoleCoding {
    static func encode(_ role: Pattern.Role, to bytes: inout [UInt8]) {
        let fields: [Int]
        switch role {
        case .term(let list, let line, let length, let wordStart, let wordEnd):
            fields = [0, list, line, length, self.bits(wordStart, wordEnd)]
        case .expression(let list, let line):
            fields = [1, list, line, 0, 0]
        case .identifier(let kind):
            fields = [2, IdentifierKind.allCases.firstIndex(of: kind) ?? 0, 0, 0, 0]
        case .support(let kinds, let length, let wordStart, let wordEnd):
            let mask = kinds.reduce(0) { mask, kind in
                mask | 1 << (IdentifierKind.allCases.firstIndex(of: kind) ?? 0)
            }
            fields = [3, mask, length, self.bits(wordStart, wordEnd), 0]
        }
        for field in fields {
            self.append(Int32(truncatingIfNeeded: field), to: &bytes)
        }
    }

    static func decode(_ reader: inout ByteReader, listCount: Int) -> Pattern.Role? {
        var fields: [Int] = []
        for _ in 0..<5 {
            guard let field = reader.integer(), field >= 0 else {
                return nil
            }
            fields.append(field)
        }
        let kinds = IdentifierKind.allCases
        switch fields[0] {
        case 0 where fields[1] < listCount && fields[3] > 0 && fields[4] < 4:
            return .term(
                list: fields[1], line: fields[2], length: fields[3], wordStart: fields[4] & 1 != 0,
                wordEnd: fields[4] & 2 != 0)
        case 1 where fields[1] < listCount:
            return .expression(list: fields[1], line: fields[2])
        case 2 where fields[1] < kinds.count:
            return .identifier(kinds[fields[1]])
        case 3 where fields[1] > 0 && fields[1] < 1 << kinds.count && fields[2] > 0:
            let selected = kinds.indices.filter { fields[1] & 1 << $0 != 0 }.map { kinds[$0] }
            return .support(
                kinds: selected, length: fields[2], wordStart: fields[3] & 1 != 0,
                wordEnd: fields[3] & 2 != 0)
        default:
            return nil
        }
    }

    static func append(_ value: Int32, to bytes: inout [UInt8]) {
        withUnsafeBytes(of: value.littleEndian) { bytes += $0 }
    }

    private static func bits(_ first: Bool, _ second: Bool) -> Int {
        (first ? 1 : 0) | (second ? 2 : 0)
    }
}

/// Reads integers and byte runs from a buffer, returning nil past its end.
struct ByteReader {
    let bytes: [UInt8]
    var offset = 0

    var remaining: Int {
        self.bytes.count - self.offset
    }

    mutating func take(_ count: Int) -> [UInt8]? {
        guard count <= self.remaining else {
            return nil
        }
        defer { self.offset += count }
        return Array(self.bytes[self.offset..<self.offset + count])
    }

    mutating func integer() -> Int? {
        guard let raw = self.take(4) else {
            return nil
        }
        let value = raw.reversed().reduce(UInt32(0)) { $0 << 8 | UInt32($1) }
        return Int(Int32(bitPattern: value))
    }

    func rest() -> [UInt8] {
        Array(self.bytes[self.offset...])
    }
}
