// `sluice check-config`: validates the configuration and prints every setting in force, so
// an administrator sees exactly what the daemon will run with.

import SluicePolicy

enum CheckConfigCommand {
    static func run(_ arguments: [String]) throws(UsageError) -> Int32 {
        let parsed = try CommandArguments(arguments, options: ["--config"], flags: [])
        guard parsed.positionals.isEmpty else {
            throw UsageError(message: "unexpected argument '\(parsed.positionals[0])'")
        }
        let configuration: Configuration
        do {
            configuration = try ConfigLoading.load(parsed.value("--config"), optional: false)
        } catch {
            Output.error("sluice: \(error)")
            return ExitCode.checkFailed
        }

        var section = ""
        var lines: [String] = []
        for setting in configuration.effectiveSettings {
            if setting.section != section {
                section = setting.section
                lines.append((lines.isEmpty ? "" : "\n") + "[\(section)]")
            }
            lines.append("\(setting.key) = \(setting.value)")
        }
        Output.print(lines.joined(separator: "\n"))
        return ExitCode.success
    }
}
