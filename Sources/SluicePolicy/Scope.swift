// Who is inside the organisation: `[scope] internal_domains` (with `*.` wildcards for
// subdomains) and `internal_networks`. With no internal domain configured, every recipient
// counts as external, the safe reading for a filter of outbound mail.

/// The organisation's own domains and networks.
public struct Scope: Equatable, Sendable {
    /// Exact domains (`example.com`) and wildcard suffixes (`*.example.com` covers
    /// `mail.example.com` but not `example.com` itself).
    public var internalDomains: [String] = []
    public var internalNetworks: [IPNetwork] = []

    public init(internalDomains: [String] = [], internalNetworks: [IPNetwork] = []) {
        self.internalDomains = internalDomains.map { $0.lowercased() }
        self.internalNetworks = internalNetworks
    }

    /// Whether `address` (an envelope address) is outside the organisation.
    public func isExternal(_ address: String) -> Bool {
        guard let domain = Self.domain(of: address) else {
            return true
        }
        return !self.internalDomains.contains { pattern in
            if pattern.hasPrefix("*.") {
                return domain.hasSuffix(String(pattern.dropFirst()))
            }
            return domain == pattern
        }
    }

    /// Whether the client address lies in an internal network.
    public func isInternalClient(_ address: String?) -> Bool {
        guard let address else {
            return false
        }
        return self.internalNetworks.contains { $0.contains(address) }
    }

    /// The lower-cased domain of an address, without a trailing dot.
    public static func domain(of address: String) -> String? {
        guard let at = address.lastIndex(of: "@") else {
            return nil
        }
        var domain = address[address.index(after: at)...].lowercased()
        if domain.hasSuffix(".") {
            domain.removeLast()
        }
        return domain.isEmpty ? nil : domain
    }
}
