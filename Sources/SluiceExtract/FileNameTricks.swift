// Tricks played with file names to make a file look like something else: a second extension,
// dots or spaces Windows drops, bidi controls that reverse the visible extension, and names so
// long that mail clients cut off the real extension.

/// Deceptive features of a file name.
public struct FileNameTricks: OptionSet, Sendable, Hashable {
    public let rawValue: UInt8

    public init(rawValue: UInt8) {
        self.rawValue = rawValue
    }

    /// `report.pdf.exe`: a document extension followed by an executable one.
    public static let doubleExtension = FileNameTricks(rawValue: 1 << 0)
    /// `invoice.exe.` or `invoice.exe  `: Windows strips these when saving.
    public static let trailingDotsOrSpaces = FileNameTricks(rawValue: 1 << 1)
    /// U+202E and the other explicit bidi controls (`photo\u{202E}gpj.exe`).
    public static let bidiControl = FileNameTricks(rawValue: 1 << 2)
    /// Longer than `veryLongNameLength` characters.
    public static let veryLongName = FileNameTricks(rawValue: 1 << 3)

    public static let veryLongNameLength = 100

    /// Names of the flags set, for reports.
    public var names: [String] {
        let all: [(FileNameTricks, String)] = [
            (.doubleExtension, "double-extension"),
            (.trailingDotsOrSpaces, "trailing-dots-or-spaces"),
            (.bidiControl, "bidi-control"),
            (.veryLongName, "very-long-name"),
        ]
        return all.filter { self.contains($0.0) }.map(\.1)
    }

    private static let bidiControls: Set<UInt32> = [
        0x200E, 0x200F, 0x061C, 0x202A, 0x202B, 0x202C, 0x202D, 0x202E, 0x2066, 0x2067,
        0x2068, 0x2069,
    ]

    /// Examines `name`.
    public static func analyse(_ name: String) -> FileNameTricks {
        var tricks: FileNameTricks = []
        if name.unicodeScalars.contains(where: { Self.bidiControls.contains($0.value) }) {
            tricks.insert(.bidiControl)
        }
        if let last = name.unicodeScalars.last, last == "." || last == " " {
            tricks.insert(.trailingDotsOrSpaces)
        }
        if name.count > Self.veryLongNameLength {
            tricks.insert(.veryLongName)
        }
        let parts = Self.visibleName(name).split(separator: ".", omittingEmptySubsequences: false)
        if parts.count >= 3, let final = parts.last, TypeTable.isRiskyExtension(final.lowercased())
        {
            let previous = String(parts[parts.count - 2]).trimmingCharacters(in: " _\t")
                .lowercased()
            if TypeTable.kind(forExtension: previous) != nil,
                !TypeTable.isRiskyExtension(previous)
            {
                tricks.insert(.doubleExtension)
            }
        }
        return tricks
    }

    /// The name as Windows stores it: bidi controls removed, trailing dots and spaces dropped.
    static func visibleName(_ name: String) -> String {
        var scalars = String.UnicodeScalarView(
            name.unicodeScalars.filter { !Self.bidiControls.contains($0.value) })
        while let last = scalars.last, last == "." || last == " " {
            scalars.removeLast()
        }
        return String(scalars)
    }
}
