// Coarse families of file types that policy rules name (`executable`, `archive`, …). Which
// types and extensions belong to each family is decided in one place, `TypeTable`.

/// A family of file types usable in policy rules.
public enum TypeGroup: String, Sendable, Hashable, CaseIterable, Comparable {
    case executable
    case script
    case archive
    case office
    case officeMacro = "office-macro"
    case pdf
    case image
    case text
    case encrypted
    case diskImage = "disk-image"

    public static func < (lhs: TypeGroup, rhs: TypeGroup) -> Bool {
        lhs.rawValue < rhs.rawValue
    }
}
