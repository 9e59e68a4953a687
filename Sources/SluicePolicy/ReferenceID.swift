// The short id that names one decision everywhere: in the SMTP reply the sender sees, in the
// log line, and later in the quarantine and notifications. Eight characters of Crockford's
// base32 alphabet (no I, L, O or U), so it can be read over the phone and typed back.

/// A short, unambiguous reference id such as `Q7K2M9XH`.
public struct ReferenceID: Hashable, Sendable, CustomStringConvertible {
    static let alphabet = Array("0123456789ABCDEFGHJKMNPQRSTVWXYZ".utf8)

    public let description: String

    /// A new random id (40 bits).
    public static func random() -> ReferenceID {
        var generator = SystemRandomNumberGenerator()
        return self.random(using: &generator)
    }

    public static func random<G: RandomNumberGenerator>(using generator: inout G) -> ReferenceID {
        var bits = UInt64.random(in: 0..<(1 << 40), using: &generator)
        var characters = [UInt8](repeating: 0, count: 8)
        for index in stride(from: 7, through: 0, by: -1) {
            characters[index] = self.alphabet[Int(bits & 31)]
            bits >>= 5
        }
        return ReferenceID(validated: String(decoding: characters, as: UTF8.self))
    }

    /// Accepts a typed id in any case, reading O as 0 and I or L as 1.
    public init?(_ text: String) {
        guard text.utf8.count == 8 else {
            return nil
        }
        var normalised: [UInt8] = []
        for byte in text.uppercased().utf8 {
            let mapped: UInt8
            switch byte {
            case UInt8(ascii: "O"): mapped = UInt8(ascii: "0")
            case UInt8(ascii: "I"), UInt8(ascii: "L"): mapped = UInt8(ascii: "1")
            default: mapped = byte
            }
            guard Self.alphabet.contains(mapped) else {
                return nil
            }
            normalised.append(mapped)
        }
        self.description = String(decoding: normalised, as: UTF8.self)
    }

    private init(validated: String) {
        self.description = validated
    }
}
