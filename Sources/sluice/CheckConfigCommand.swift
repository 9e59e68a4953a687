// `sluice check-config`: validates the configuration and prints every setting in force, so
// an administrator sees exactly what the daemon will run with.

import SluicePolicy

enum CheckConfigCommand {
    static func run(_ arguments: [String]) throws(UsageError) -> Int32 {
        let parsed = try CommandArguments(
            arguments, options: ["--config", "--dictionaries"], flags: [])
        guard parsed.positionals.isEmpty else {
            throw UsageError(message: "unexpected argument '\(parsed.positionals[0])'")
        }
        var configuration: Configuration
        do {
            configuration = try ConfigLoading.load(parsed.value("--config"), optional: false)
            ConfigLoading.applyDictionaries(parsed.value("--dictionaries"), to: &configuration)
            _ = try PolicyInspector(configuration: configuration)
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
        for warning in self.lint(configuration) {
            Output.error("sluice: warning: \(warning)")
        }
        return ExitCode.success
    }

    /// Rules that can never fire, or never do anything.
    static func lint(_ configuration: Configuration) -> [String] {
        let file = configuration.path ?? "(defaults)"
        var warnings: [String] = []
        for rule in configuration.rules {
            let place = "\(file):\(rule.line): rule '\(rule.name)'"
            guard let when = rule.when else {
                warnings.append("\(place) has no 'when' and never fires")
                continue
            }
            let condition = when.value.lowercased().trimmingCharacters(in: .whitespaces)
            if condition == "false" || rule.unless?.value.lowercased() == "true" {
                warnings.append("\(place) can never fire")
            }
            if rule.action == .accept && rule.notify.isEmpty && rule.addHeader == nil
                && rule.bcc == nil
            {
                warnings.append("\(place) accepts and does nothing else")
            }
        }
        return warnings
    }
}
