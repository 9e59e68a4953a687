// Reads the keys of one configuration section by type, remembering which keys were used
// and the effective value of each, so unknown keys can be reported and `check-config` can
// print the settings in force.

/// One effective setting, as `sluice check-config` prints it.
public struct EffectiveSetting: Equatable, Sendable {
    public var section: String
    public var key: String
    public var value: String
}

struct SectionReader {
    let file: String
    let sectionName: String
    private let entries: [String: ConfigEntry]
    private(set) var used: Set<String> = []
    private(set) var effective: [EffectiveSetting] = []

    init(file: String, sectionName: String, section: ConfigSection?) {
        self.file = file
        self.sectionName = sectionName
        var entries: [String: ConfigEntry] = [:]
        for entry in section?.entries ?? [] {
            entries[entry.key] = entry
        }
        self.entries = entries
    }

    /// The raw entry for `key`, marking it used.
    mutating func entry(_ key: String) -> ConfigEntry? {
        self.used.insert(key)
        return self.entries[key]
    }

    func error(_ entry: ConfigEntry, _ message: String) -> ConfigError {
        ConfigError(file: self.file, line: entry.line, key: entry.key, message: message)
    }

    mutating func record(_ key: String, _ value: String) {
        self.effective.append(
            EffectiveSetting(section: self.sectionName, key: key, value: value))
    }

    mutating func string(_ key: String, default fallback: String) -> String {
        let value = self.entry(key)?.value ?? fallback
        self.record(key, value)
        return value
    }

    mutating func value<T>(
        _ key: String, default fallback: T, expected: String, render: (T) -> String,
        parse: (String) -> T?
    ) throws(ConfigError) -> T {
        guard let entry = self.entry(key) else {
            self.record(key, render(fallback))
            return fallback
        }
        guard let value = parse(entry.value) else {
            throw self.error(entry, "expected \(expected), found '\(entry.value)'")
        }
        self.record(key, entry.value)
        return value
    }

    mutating func size(_ key: String, default fallback: Int) throws(ConfigError) -> Int {
        try self.value(
            key, default: fallback, expected: "a size such as 512KB or 25MB",
            render: { ConfigValue.render(size: $0) }, parse: ConfigValue.size)
    }

    mutating func duration(_ key: String, default fallback: Double) throws(ConfigError) -> Double {
        try self.value(
            key, default: fallback, expected: "a duration such as 30s or 2h",
            render: { ConfigValue.render(duration: $0) }, parse: ConfigValue.duration)
    }

    mutating func bool(_ key: String, default fallback: Bool) throws(ConfigError) -> Bool {
        try self.value(
            key, default: fallback, expected: "yes or no", render: { $0 ? "yes" : "no" },
            parse: ConfigValue.bool)
    }

    mutating func integer(
        _ key: String, default fallback: Int, range: ClosedRange<Int>
    ) throws(ConfigError) -> Int {
        try self.value(
            key, default: fallback,
            expected: "a whole number from \(range.lowerBound) to \(range.upperBound)",
            render: { String($0) }, parse: { Int($0).flatMap { range.contains($0) ? $0 : nil } })
    }

    mutating func list(_ key: String, default fallback: [String]) throws(ConfigError) -> [String] {
        try self.value(
            key, default: fallback, expected: "a comma-separated list",
            render: { $0.joined(separator: ", ") }, parse: ConfigValue.list)
    }

    mutating func choice<T: RawRepresentable & CaseIterable>(
        _ key: String, default fallback: T
    ) throws(ConfigError) -> T where T.RawValue == String {
        let names = T.allCases.map(\.rawValue).joined(separator: ", ")
        return try self.value(
            key, default: fallback, expected: "one of \(names)", render: { $0.rawValue },
            parse: { T(rawValue: $0.lowercased()) })
    }

    /// `HOST:PORT`, with IPv6 hosts in brackets (`[::1]:10026`).
    mutating func hostAndPort(
        _ key: String, default fallback: (String, UInt16)
    ) throws(ConfigError) -> (String, UInt16) {
        try self.value(
            key, default: fallback, expected: "HOST:PORT such as 127.0.0.1:10026",
            render: { "\($0.0):\($0.1)" },
            parse: { text -> (String, UInt16)? in
                guard let colon = text.lastIndex(of: ":"),
                    let port = UInt16(text[text.index(after: colon)...]), port > 0
                else {
                    return nil
                }
                let host = String(text[..<colon]).trimmingCharacters(in: ["[", "]"])
                return host.isEmpty ? nil : (host, port)
            })
    }

    /// Throws for the first key of the section that no reader asked for.
    func rejectUnknownKeys() throws(ConfigError) {
        let unknown = self.entries.values
            .filter { !self.used.contains($0.key) }
            .sorted { $0.line < $1.line }
        if let first = unknown.first {
            throw self.error(first, "unknown key in [\(self.sectionName)]")
        }
    }
}

extension ConfigValue {
    /// A size in the largest unit that divides it exactly.
    public static func render(size: Int) -> String {
        for (unit, factor) in [("GB", 1 << 30), ("MB", 1 << 20), ("KB", 1 << 10)]
        where size >= factor && size % factor == 0 {
            return "\(size / factor)\(unit)"
        }
        return String(size)
    }

    /// A duration in the largest unit that divides it exactly.
    public static func render(duration seconds: Double) -> String {
        if seconds < 1 || seconds != seconds.rounded() {
            return "\(Int((seconds * 1000).rounded()))ms"
        }
        let whole = Int(seconds)
        for (unit, factor) in [("d", 86_400), ("h", 3600), ("m", 60)]
        where whole >= factor && whole % factor == 0 {
            return "\(whole / factor)\(unit)"
        }
        return "\(whole)s"
    }
}
