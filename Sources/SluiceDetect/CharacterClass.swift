// Character classes used by normalisation and by identifier boundaries: which scalars are CJK
// letters, which separators may be bridged between two CJK characters, and ASCII helpers.
// Sentence punctuation (，。；：！？) is never bridged, so words of adjacent clauses stay apart.

/// Classification of Unicode scalars by value.
enum CharacterClass {
    @inline(__always)
    static func isSpace(_ scalar: UInt32) -> Bool {
        scalar == 0x20 || (scalar >= 0x09 && scalar <= 0x0D)
    }

    /// Han ideographs, kana and Hangul syllables.
    @inline(__always)
    static func isCJK(_ scalar: UInt32) -> Bool {
        (scalar >= 0x4E00 && scalar <= 0x9FFF) || (scalar >= 0x3400 && scalar <= 0x4DBF)
            || (scalar >= 0x3040 && scalar <= 0x30FA) || (scalar >= 0xAC00 && scalar <= 0xD7A3)
            || (scalar >= 0xF900 && scalar <= 0xFAFF) || (scalar >= 0x20000 && scalar <= 0x3134F)
    }

    /// Separators an evasion would put inside a CJK term: dashes, underscores, dots, slashes,
    /// quotes, stars, middle dots and bullets.
    static func isBridgeable(_ scalar: UInt32) -> Bool {
        switch scalar {
        case 0x22, 0x23, 0x26, 0x27, 0x2A, 0x2B, 0x2D, 0x2E, 0x2F, 0x3D, 0x5C, 0x5E, 0x5F, 0x60,
            0x7C, 0x7E:
            return true
        case 0xB7, 0x2010...0x2015, 0x2018...0x201F, 0x2022, 0x2027, 0x30FB:
            return true
        default:
            return false
        }
    }

    @inline(__always)
    static func isASCIIAlphanumeric(_ byte: UInt8) -> Bool {
        (byte >= 0x30 && byte <= 0x39) || (byte >= 0x61 && byte <= 0x7A)
            || (byte >= 0x41 && byte <= 0x5A)
    }
}
