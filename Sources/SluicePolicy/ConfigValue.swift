// Interpretations of configuration values: sizes (`25MB`), durations (`30s`, `2h`), booleans,
// comma-separated lists and octal modes. Each returns nil on a malformed value; the caller
// turns that into a `ConfigError` naming the key.

import Foundation

/// Parsers for the value types sluice.conf uses.
public enum ConfigValue {
    /// `25MB`, `512KB`, `1GB`, `100` (bytes). Units are powers of 1024 and case-insensitive.
    public static func size(_ text: String) -> Int? {
        let units: [(String, Int)] = [
            ("kib", 1 << 10), ("mib", 1 << 20), ("gib", 1 << 30),
            ("kb", 1 << 10), ("mb", 1 << 20), ("gb", 1 << 30),
            ("k", 1 << 10), ("m", 1 << 20), ("g", 1 << 30), ("b", 1),
        ]
        return self.number(text, units: units, default: 1).map { Int($0) }
    }

    /// `500ms`, `30s`, `5m`, `2h`, `1d`, `1w`; a bare number is seconds. Returns seconds.
    public static func duration(_ text: String) -> Double? {
        let units: [(String, Int)] = [
            ("ms", 0), ("s", 1), ("m", 60), ("h", 3600), ("d", 86_400), ("w", 604_800),
        ]
        let lowered = text.lowercased()
        if lowered.hasSuffix("ms") {
            return self.number(String(lowered.dropLast(2)), units: [], default: 1)
                .map { $0 / 1000 }
        }
        return self.number(lowered, units: units.filter { $0.1 > 0 }, default: 1)
    }

    /// `yes`/`no`, `true`/`false`, `on`/`off`, `1`/`0`.
    public static func bool(_ text: String) -> Bool? {
        switch text.lowercased() {
        case "yes", "true", "on", "1": return true
        case "no", "false", "off", "0": return false
        default: return nil
        }
    }

    /// An octal file mode such as `0660`.
    public static func mode(_ text: String) -> UInt32? {
        guard !text.isEmpty, text.count <= 4, let mode = UInt32(text, radix: 8), mode <= 0o7777
        else {
            return nil
        }
        return mode
    }

    /// Comma-separated items; white space around items is dropped, and an item in double
    /// quotes may contain commas. Returns nil for an unterminated quote.
    public static func list(_ text: String) -> [String]? {
        var items: [String] = []
        var current = ""
        var quoted = false
        var wasQuoted = false
        for character in text {
            if character == "\"" {
                if !quoted && current.allSatisfy(\.isWhitespace) {
                    current = ""
                }
                quoted.toggle()
                wasQuoted = true
            } else if character == "," && !quoted {
                self.appendItem(&items, current, wasQuoted)
                current = ""
                wasQuoted = false
            } else {
                current.append(character)
            }
        }
        if quoted {
            return nil
        }
        self.appendItem(&items, current, wasQuoted)
        return items
    }

    private static func appendItem(_ items: inout [String], _ item: String, _ quoted: Bool) {
        let value = quoted ? item : item.trimmingCharacters(in: .whitespaces)
        if !value.isEmpty {
            items.append(value)
        }
    }

    private static func number(
        _ text: String, units: [(String, Int)], default multiplier: Int
    ) -> Double? {
        let lowered = text.lowercased().trimmingCharacters(in: .whitespaces)
        var digits = lowered
        var factor = multiplier
        for (suffix, value) in units where lowered.hasSuffix(suffix) {
            digits = String(lowered.dropLast(suffix.count)).trimmingCharacters(in: .whitespaces)
            factor = value
            break
        }
        guard !digits.isEmpty, digits.allSatisfy({ $0.isASCII && ($0.isNumber || $0 == ".") }),
            let number = Double(digits), number >= 0, number.isFinite
        else {
            return nil
        }
        let result = number * Double(factor)
        return result <= Double(Int.max / 2) ? result : nil
    }
}
