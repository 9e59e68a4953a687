// The `sluice` command: dispatches to a subcommand, turns usage errors into `Error: …` with
// the usage and exit 64, and keeps every other exit status in the subcommand's hands.

import Foundation
import SluiceMilter

@main
enum Sluice {
    static func main() {
        // Before any thread exists, so every later thread inherits the mask.
        MilterDaemon.blockSignals()
        exit(self.run(Array(CommandLine.arguments.dropFirst())))
    }

    static func run(_ arguments: [String]) -> Int32 {
        guard let command = arguments.first else {
            Output.error("Error: no command given\n\n\(Usage.overview)")
            return ExitCode.usage
        }
        let rest = Array(arguments.dropFirst())
        do {
            switch command {
            case "-h", "--help":
                Output.print(Usage.overview)
                return ExitCode.success
            case "--version":
                Output.print("sluice \(Usage.version)")
                return ExitCode.success
            case "help":
                return try self.help(rest)
            case "milter":
                return try MilterCommand.run(rest)
            case "scan":
                return try ScanCommand.run(rest)
            case "check-config":
                return try CheckConfigCommand.run(rest)
            case "audit":
                return try AuditCommand.run(rest)
            case "dict":
                return try DictCommand.run(rest)
            case "stats":
                return try StatsCommand.run(rest)
            case "status":
                return try StatusCommand.run(rest)
            case "quarantine":
                return try QuarantineCommand.run(rest)
            default:
                throw UsageError(message: "unknown command '\(command)'")
            }
        } catch let error as UsageError {
            let usage =
                Usage.commands.map(\.name).contains(command)
                ? Usage.synopsis(for: command) + "\nRun 'sluice help \(command)' for more."
                : Usage.overview
            Output.error("Error: \(error.message)\n\n\(usage)")
            return ExitCode.usage
        } catch {
            Output.error("sluice: \(error)")
            return ExitCode.software
        }
    }

    static func help(_ arguments: [String]) throws(UsageError) -> Int32 {
        guard let name = arguments.first else {
            Output.print(Usage.overview)
            return ExitCode.success
        }
        guard arguments.count == 1, let text = Usage.help(for: name) else {
            throw UsageError(message: "no help for '\(arguments.joined(separator: " "))'")
        }
        Output.print(text)
        return ExitCode.success
    }
}

/// Writes to standard output and standard error without buffering surprises.
enum Output {
    static func print(_ text: String) {
        let line = text.hasSuffix("\n") ? text : text + "\n"
        FileHandle.standardOutput.write(Data(line.utf8))
    }

    static func error(_ text: String) {
        let line = text.hasSuffix("\n") ? text : text + "\n"
        FileHandle.standardError.write(Data(line.utf8))
    }
}
