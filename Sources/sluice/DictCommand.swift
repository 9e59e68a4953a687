// `sluice dict`: lists, shows, changes, tests and checks the keyword dictionaries. Changes go
// through SluiceDetect's DictionaryStore (validated, atomic, audited); `test` runs the real
// detection pass on a text and prints each hit with its normalised form and masked sample.

import Foundation
import SluiceDetect

enum DictCommand {
    static let defaultDirectory = "/etc/sluice/dictionaries"

    static let help = CommandHelp(
        name: "dict",
        synopsis: "sluice dict [--dictionaries DIR] SUBCOMMAND ...",
        summary: "list, change, test and check the keyword dictionaries",
        details: """
            Subcommands:
              list                     each dictionary with its term count and last change
              show NAME                the dictionary file as it is
              add NAME TERM...         add terms (creates NAME when missing)
              remove NAME TERM...      remove terms (compared after normalisation)
              import NAME FILE         add every line of FILE; reports added, duplicate
                                       and invalid lines
              export NAME              the terms only, one per line
              test [NAME] (--text TEXT | --file FILE)
                                       scan a text and show every hit; with NAME, only
                                       that dictionary's hits
              check                    compile everything; print each bad line as
                                       FILE:LINE: error: ...

            A line /.../ is a regular expression. Changes replace the file atomically and
            are recorded in DIR/.audit.log.

            Options:
              --dictionaries DIR   dictionary directory (default /etc/sluice/dictionaries)

            Exit status: 0 on success (for test: something was found); 1 when check finds
            a bad line, test finds nothing or remove finds no term; 64 on bad usage; 65
            when a dictionary or input cannot be read; 73 when a change cannot be written.
            """)

    static func run(_ arguments: [String]) throws(UsageError) -> Int32 {
        let parsed = try CommandArguments(
            arguments, options: ["--dictionaries", "--text", "--file"], flags: [])
        guard let subcommand = parsed.positionals.first else {
            throw UsageError(message: "no dict subcommand given")
        }
        let operands = Array(parsed.positionals.dropFirst())
        let store = DictionaryStore(path: parsed.value("--dictionaries") ?? self.defaultDirectory)
        if subcommand != "test" && (parsed.value("--text") != nil || parsed.value("--file") != nil)
        {
            throw UsageError(message: "--text and --file belong to 'dict test'")
        }
        do {
            switch subcommand {
            case "list":
                try self.expect(operands, count: 0)
                return try self.list(store)
            case "show":
                try self.expect(operands, count: 1)
                Output.print(try store.show(operands[0]).lines.joined(separator: "\n"))
                return ExitCode.success
            case "export":
                try self.expect(operands, count: 1)
                Output.print(try store.export(operands[0]).joined(separator: "\n"))
                return ExitCode.success
            case "add", "remove":
                guard operands.count >= 2 else {
                    throw UsageError(message: "\(subcommand) needs a dictionary name and terms")
                }
                return try self.change(subcommand, store, operands[0], Array(operands.dropFirst()))
            case "import":
                try self.expect(operands, count: 2)
                return try self.importFile(store, operands[0], operands[1])
            case "test":
                return try self.test(store, operands, parsed)
            case "check":
                try self.expect(operands, count: 0)
                return try self.check(store)
            default:
                throw UsageError(message: "unknown dict subcommand '\(subcommand)'")
            }
        } catch let error as DetectError {
            Output.error("sluice: \(error)")
            return self.exitCode(for: error)
        } catch let error as UsageError {
            throw error
        } catch {
            Output.error("sluice: \(error)")
            return ExitCode.software
        }
    }

    private static func expect(_ operands: [String], count: Int) throws(UsageError) {
        if operands.count > count {
            throw UsageError(message: "unexpected argument '\(operands[count])'")
        }
        if operands.count < count {
            throw UsageError(message: "missing argument")
        }
    }

    private static func list(_ store: DictionaryStore) throws(DetectError) -> Int32 {
        let formatter = ISO8601DateFormatter()
        var lines: [String] = []
        for summary in try store.list() {
            let name = summary.name.padding(toLength: 20, withPad: " ", startingAt: 0)
            let count = String(summary.termCount)
            let padded = String(repeating: " ", count: max(0, 8 - count.count)) + count
            let changed = summary.lastChange.map(formatter.string) ?? "-"
            lines.append("\(name)\(padded)  \(changed)")
        }
        Output.print(
            lines.isEmpty
                ? "no dictionaries in \(store.directory.path)" : lines.joined(separator: "\n"))
        return ExitCode.success
    }

    private static func change(
        _ subcommand: String, _ store: DictionaryStore, _ name: String, _ terms: [String]
    ) throws(DetectError) -> Int32 {
        if subcommand == "add" {
            let report = try store.add(terms, to: name, user: self.user)
            self.print(report, name)
            return report.invalid.isEmpty ? ExitCode.success : ExitCode.dataError
        }
        let report = try store.remove(terms, from: name, user: self.user)
        self.print(report, name)
        return report.notFound.isEmpty ? ExitCode.success : ExitCode.checkFailed
    }

    private static func importFile(
        _ store: DictionaryStore, _ name: String, _ file: String
    ) throws(DetectError) -> Int32 {
        let lines = try TermList(contentsOf: file).lines
        let report = try store.add(lines, to: name, user: self.user, source: file) { done, total in
            Output.error("sluice: import: \(done)/\(total) lines")
        }
        self.print(report, name)
        return ExitCode.success
    }

    private static func print(_ report: DictionaryStore.ChangeReport, _ name: String) {
        for problem in report.invalid {
            Output.error(problem.description)
        }
        for term in report.notFound {
            Output.error("sluice: \(name): not found: \(term)")
        }
        var parts = ["added \(report.added.count)"]
        if !report.removed.isEmpty || !report.notFound.isEmpty {
            parts = ["removed \(report.removed.count)", "not found \(report.notFound.count)"]
        }
        parts += ["duplicate \(report.duplicates.count)", "invalid \(report.invalid.count)"]
        Output.print("\(name): " + parts.joined(separator: ", "))
    }

    private static func test(
        _ store: DictionaryStore, _ operands: [String], _ parsed: CommandArguments
    ) throws(DetectError) -> Int32 {
        guard operands.count <= 1 else {
            Output.error("sluice: dict test: at most one dictionary name")
            return ExitCode.usage
        }
        let text: String
        let location: String
        switch (parsed.value("--text"), parsed.value("--file")) {
        case (let given?, nil):
            (text, location) = (given, "text")
        case (nil, let file?):
            guard let data = FileManager.default.contents(atPath: file) else {
                throw .io(path: file, operation: "read", errno: errno)
            }
            (text, location) = (String(decoding: data, as: UTF8.self), file)
        default:
            Output.error("sluice: dict test: give exactly one of --text and --file")
            return ExitCode.usage
        }

        let engine = try DetectionEngine(dictionaryDirectory: store.directory.path)
        var hits = engine.hits(in: text, location: location).hits
        if let name = operands.first {
            hits = hits.filter { $0.detector == .keyword(name) }
        }
        for hit in hits {
            let line = hit.line.map { " line=\($0)" } ?? ""
            Output.print(
                "\(hit.detector.id)\(line) confidence=\(hit.confidence) "
                    + "normalised=\(hit.normalized) sample=\(hit.sample)")
        }
        return hits.isEmpty ? ExitCode.checkFailed : ExitCode.success
    }

    private static func check(_ store: DictionaryStore) throws(DetectError) -> Int32 {
        let problems = try store.check()
        for problem in problems {
            Output.print(problem.description)
        }
        return problems.isEmpty ? ExitCode.success : ExitCode.checkFailed
    }

    private static func exitCode(for error: DetectError) -> Int32 {
        switch error {
        case .invalidLine, .noSuchDictionary, .invalidName:
            return ExitCode.dataError
        case .io(_, let operation, _):
            return ["read", "list", "stat"].contains(operation)
                ? ExitCode.dataError : ExitCode.cannotCreate
        case .compileFailed, .converterUnavailable:
            return ExitCode.software
        }
    }

    /// The person making a change: the invoking user behind sudo when there is one.
    private static var user: String {
        let login = getpwuid(getuid()).flatMap { String(validatingCString: $0.pointee.pw_name) }
        let name = login ?? String(getuid())
        if let sudo = ProcessInfo.processInfo.environment["SUDO_USER"], sudo != name {
            return "\(sudo)(as:\(name))"
        }
        return name
    }
}
