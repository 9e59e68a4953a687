// Named groups of senders for rules (`sender in group:finance`): addresses, or whole domains
// written `@example.com`, listed in the configuration or in a file with one entry per line.

import Foundation

/// A named set of sender addresses and domains.
public struct SenderGroup: Equatable, Sendable {
    public var name: String
    public var addresses: Set<String>
    public var domains: Set<String>

    public init(name: String, entries: [String]) {
        self.name = name
        var addresses = Set<String>()
        var domains = Set<String>()
        for entry in entries.map({ $0.lowercased() }) {
            if entry.hasPrefix("@") {
                domains.insert(String(entry.dropFirst()))
            } else {
                addresses.insert(entry)
            }
        }
        self.addresses = addresses
        self.domains = domains
    }

    public func contains(_ address: String) -> Bool {
        let lowered = address.lowercased()
        if self.addresses.contains(lowered) {
            return true
        }
        return Scope.domain(of: lowered).map(self.domains.contains) ?? false
    }

    /// Entries of a group file: one address or `@domain` per line, `#` comments.
    static func entries(fromFile path: String) -> [String]? {
        guard let text = try? String(contentsOfFile: path, encoding: .utf8) else {
            return nil
        }
        return text.split(whereSeparator: \.isNewline)
            .map { $0.trimmingCharacters(in: .whitespaces) }
            .filter { !$0.isEmpty && !$0.hasPrefix("#") }
    }
}
