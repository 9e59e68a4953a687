// `sluice audit verify FILE…`: checks the hash chain of audit log files (oldest first, so a
// rotated file followed by the current one) and names the first broken record.

import SluiceStore

enum AuditCommand {
    static func run(_ arguments: [String]) throws(UsageError) -> Int32 {
        guard arguments.first == "verify" else {
            throw UsageError(message: "expected 'verify'")
        }
        let parsed = try CommandArguments(Array(arguments.dropFirst()), options: [], flags: [])
        guard !parsed.positionals.isEmpty else {
            throw UsageError(message: "audit verify needs at least one FILE")
        }
        let result: AuditVerification
        do {
            result = try AuditChain.verify(paths: parsed.positionals)
        } catch {
            Output.error("sluice: \(error)")
            return ExitCode.dataError
        }
        if let broken = result.broken {
            Output.print("broken: \(broken) (\(result.intact) records intact before it)")
            return ExitCode.checkFailed
        }
        Output.print("ok: \(result.intact) records, chain intact")
        return ExitCode.success
    }
}
