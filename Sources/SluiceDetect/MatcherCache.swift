// The on-disk cache of compiled matchers, keyed by a hash of the dictionaries' contents: one
// `matcher-FINGERPRINT.hsdb` file holding what each pattern means and the serialized Hyperscan
// databases, so a restart or a reload of unchanged dictionaries skips folding and compiling.
// Files are written atomically; stale ones are removed when a new one is written.

import Foundation

/// Serialized matchers in one directory.
struct MatcherCache {
    /// Changes whenever the meaning of cached bytes changes (roles, shapes, normalisation).
    static let formatVersion = "sluice-matcher-3"
    private static let magic = Array("SLUICEHS2\n".utf8)

    var directory: String

    /// A hash of everything a matcher is built from: the dictionaries' names and lines, the
    /// cache format and the Hyperscan version.
    static func fingerprint(of lists: [TermList]) -> String {
        var first = Fingerprint(seed: 0xcbf2_9ce4_8422_2325)
        var second = Fingerprint(seed: 0x8422_2325_cbf2_9ce4)
        let header = [Self.formatVersion, HyperscanMatcher.version]
        for text in header + lists.flatMap({ [$0.name, $0.file] + $0.lines + ["\u{0}"] }) {
            first.add(text)
            second.add(text)
        }
        return first.hex + second.hex
    }

    private func path(_ fingerprint: String) -> String {
        "\(self.directory)/matcher-\(fingerprint).hsdb"
    }

    /// The cached roles and matcher for `fingerprint`, if a readable file fits this host.
    func load(_ fingerprint: String, listCount: Int) -> ([Pattern.Role], PatternMatcher)? {
        guard let data = FileManager.default.contents(atPath: self.path(fingerprint)) else {
            return nil
        }
        var reader = ByteReader(bytes: Array(data))
        guard reader.take(Self.magic.count) == Self.magic, let count = reader.integer(),
            count >= 0, count <= reader.remaining / 20
        else {
            return nil
        }
        var roles: [Pattern.Role] = []
        roles.reserveCapacity(count)
        for _ in 0..<count {
            guard let role = RoleCoding.decode(&reader, listCount: listCount) else {
                return nil
            }
            roles.append(role)
        }
        guard let matcher = PatternMatcher.deserialize(&reader) else {
            return nil
        }
        return (roles, matcher)
    }

    /// Writes `matcher` and `roles`; returns a description of the failure, or nil.
    func store(
        _ matcher: PatternMatcher, _ roles: [Pattern.Role], fingerprint: String
    ) -> String? {
        guard let database = matcher.serialized() else {
            return "matcher cache: cannot serialize the compiled matcher"
        }
        var bytes = Self.magic
        RoleCoding.append(Int32(roles.count), to: &bytes)
        for role in roles {
            RoleCoding.encode(role, to: &bytes)
        }
        bytes += database
        do {
            try FileManager.default.createDirectory(
                atPath: self.directory, withIntermediateDirectories: true)
            let target = self.path(fingerprint)
            try AtomicFile.write(Data(bytes), to: target)
            for name in try FileManager.default.contentsOfDirectory(atPath: self.directory)
            where name.hasPrefix("matcher-") && name.hasSuffix(".hsdb")
                && "\(self.directory)/\(name)" != target
            {
                try? FileManager.default.removeItem(atPath: "\(self.directory)/\(name)")
            }
            return nil
        } catch let error as DetectError {
            return "matcher cache: \(error)"
        } catch {
            return "matcher cache: \(self.directory): \(error.localizedDescription)"
        }
    }
}

/// FNV-1a, 64 bits.
private struct Fingerprint {
    var value: UInt64

    init(seed: UInt64) {
        self.value = seed
    }

    mutating func add(_ text: String) {
        for byte in text.utf8 {
            self.value = (self.value ^ UInt64(byte)) &* 0x0000_0100_0000_01B3
        }
        self.value = (self.value ^ 0xFF) &* 0x0000_0100_0000_01B3
    }

    var hex: String {
        let digits = String(self.value, radix: 16)
        return String(repeating: "0", count: 16 - digits.count) + digits
    }
}
