// Exit statuses of `sluice`, following sysexits(3) where a meaning exists there.

enum ExitCode {
    static let success: Int32 = 0
    /// A check failed (`check-config` on a bad file), like `postfix check`.
    static let checkFailed: Int32 = 1
    static let usage: Int32 = 64
    static let dataError: Int32 = 65
    static let software: Int32 = 70
    static let cannotCreate: Int32 = 73
    static let config: Int32 = 78
}
