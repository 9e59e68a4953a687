// IPv4 and IPv6 networks for `client in (10.0.0.0/8, 2001:db8::/32)` and
// `[scope] internal_networks`. A bare address is a network of one.

#if canImport(Glibc)
import Glibc
#endif

/// An IP network: address bytes and a prefix length.
public struct IPNetwork: Equatable, Hashable, Sendable, CustomStringConvertible {
    public let bytes: [UInt8]
    public let prefix: Int

    /// Parses `ADDRESS` or `ADDRESS/PREFIX`; nil when malformed.
    public init?(_ text: String) {
        let pieces = text.split(separator: "/", maxSplits: 1).map(String.init)
        guard let address = Self.address(pieces[0]) else {
            return nil
        }
        let bits = address.count * 8
        var prefix = bits
        if pieces.count == 2 {
            guard let value = Int(pieces[1]), (0...bits).contains(value) else {
                return nil
            }
            prefix = value
        }
        self.bytes = address
        self.prefix = prefix
    }

    /// The 4 or 16 bytes of an IPv4 or IPv6 address (IPv4-mapped IPv6 becomes IPv4).
    public static func address(_ text: String) -> [UInt8]? {
        var v4 = in_addr()
        if inet_pton(AF_INET, text, &v4) == 1 {
            return withUnsafeBytes(of: &v4) { Array($0) }
        }
        var v6 = in6_addr()
        guard inet_pton(AF_INET6, text, &v6) == 1 else {
            return nil
        }
        let bytes = withUnsafeBytes(of: &v6) { Array($0) }
        if bytes[0..<10].allSatisfy({ $0 == 0 }) && bytes[10] == 0xFF && bytes[11] == 0xFF {
            return Array(bytes[12...])
        }
        return bytes
    }

    /// Whether `address` (text) lies in this network.
    public func contains(_ address: String) -> Bool {
        guard let other = Self.address(address), other.count == self.bytes.count else {
            return false
        }
        var remaining = self.prefix
        for index in 0..<other.count where remaining > 0 {
            let mask: UInt8 = remaining >= 8 ? 0xFF : ~(0xFF >> UInt8(remaining))
            if other[index] & mask != self.bytes[index] & mask {
                return false
            }
            remaining -= 8
        }
        return true
    }

    public var description: String {
        var text = [UInt8](repeating: 0, count: 64)
        let family = self.bytes.count == 4 ? AF_INET : AF_INET6
        let written = self.bytes.withUnsafeBytes { source in
            text.withUnsafeMutableBufferPointer { buffer in
                buffer.baseAddress.map { base in
                    base.withMemoryRebound(to: CChar.self, capacity: 64) {
                        inet_ntop(family, source.baseAddress, $0, 64) != nil
                    }
                } ?? false
            }
        }
        let address = written ? String(decoding: text.prefix { $0 != 0 }, as: UTF8.self) : "?"
        return self.prefix == self.bytes.count * 8 ? address : "\(address)/\(self.prefix)"
    }
}
