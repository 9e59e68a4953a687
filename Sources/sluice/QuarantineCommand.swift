// `sluice quarantine`: the reviewers' side of the quarantine store. Lists, shows, releases,
// deletes, exports and purges held messages in `[quarantine] path`; every review action goes
// into the record's history and, when `[audit] path` is set, the audit log, under the unix
// user who ran the command.

import Foundation
import SluicePolicy
import SluiceStore

enum QuarantineCommand {
    static let subcommands = ["list", "show", "release", "delete", "export", "purge", "stats"]

    static func run(_ arguments: [String]) throws(UsageError) -> Int32 {
        guard let subcommand = arguments.first, self.subcommands.contains(subcommand) else {
            throw UsageError(
                message: "expected one of " + self.subcommands.joined(separator: ", "))
        }
        let rest = Array(arguments.dropFirst())
        switch subcommand {
        case "list":
            return try self.list(rest)
        case "show":
            return try self.show(rest)
        case "release":
            return try self.release(rest)
        case "delete":
            return try self.delete(rest)
        case "export":
            return try self.export(rest)
        case "purge":
            return try self.purge(rest)
        default:
            return try self.stats(rest)
        }
    }

    // MARK: Subcommands

    static func list(_ arguments: [String]) throws(UsageError) -> Int32 {
        let parsed = try CommandArguments(
            arguments,
            options: [
                "--config", "--state", "--sender", "--rule", "--since", "--limit", "--offset",
            ],
            flags: ["--json"])
        try self.noPositionals(parsed)
        var query = QuarantineQuery(sender: parsed.value("--sender"), rule: parsed.value("--rule"))
        if let state = parsed.value("--state") {
            guard let known = QuarantineState(rawValue: state) else {
                let states = QuarantineState.allCases.map(\.rawValue).joined(separator: ", ")
                throw UsageError(message: "--state must be one of \(states)")
            }
            query.state = known
        }
        if let since = parsed.value("--since") {
            query.since = Date() - (try self.duration(since, option: "--since"))
        }
        query.limit = try self.count(parsed.value("--limit"), option: "--limit") ?? 50
        query.offset = try self.count(parsed.value("--offset"), option: "--offset") ?? 0

        return self.withStore(parsed, audited: false) { (store) throws(StoreError) in
            let page = try store.list(query)
            if parsed.has("--json") {
                for record in page.records {
                    Output.print(self.json(record))
                }
                return ExitCode.success
            }
            Output.print(QuarantineTable.render(page.records))
            let shown = page.records.count
            if query.offset + shown < page.total {
                Output.print(
                    "\(query.offset + 1)-\(query.offset + shown) of \(page.total); "
                        + "--offset \(query.offset + shown) for more")
            }
            return ExitCode.success
        }
    }

    static func show(_ arguments: [String]) throws(UsageError) -> Int32 {
        let parsed = try CommandArguments(
            arguments, options: ["--config"], flags: ["--raw", "--json"])
        let id = try self.singleID(parsed)
        return self.withStore(parsed, audited: false) { (store) throws(StoreError) in
            if parsed.has("--raw") {
                FileHandle.standardOutput.write(Data(try store.message(id: id)))
                return ExitCode.success
            }
            guard let record = try store.record(id: id) else {
                throw StoreError("show", "no message \(id)")
            }
            Output.print(parsed.has("--json") ? self.json(record) : QuarantineTable.detail(record))
            return ExitCode.success
        }
    }

    static func export(_ arguments: [String]) throws(UsageError) -> Int32 {
        let parsed = try CommandArguments(arguments, options: ["--config"], flags: [])
        let id = try self.singleID(parsed)
        return self.withStore(parsed, audited: false) { (store) throws(StoreError) in
            FileHandle.standardOutput.write(Data(try store.message(id: id)))
            return ExitCode.success
        }
    }

    static func release(_ arguments: [String]) throws(UsageError) -> Int32 {
        let parsed = try CommandArguments(
            arguments, options: ["--config", "--to", "--comment"], flags: [])
        let ids = try self.ids(parsed)
        return self.withStore(parsed, audited: true) { (store, settings) throws(StoreError) in
            var status = ExitCode.success
            for id in ids {
                do {
                    let release = try store.release(
                        id: id, to: parsed.values["--to"], comment: parsed.value("--comment"),
                        user: self.user(), host: settings.releaseHost, port: settings.releasePort)
                    Output.print(
                        "released \(id) to " + release.recipients.joined(separator: ", "))
                } catch {
                    Output.error("sluice: \(error)")
                    status = ExitCode.checkFailed
                }
            }
            return status
        }
    }

    static func delete(_ arguments: [String]) throws(UsageError) -> Int32 {
        let parsed = try CommandArguments(arguments, options: ["--config", "--comment"], flags: [])
        let ids = try self.ids(parsed)
        return self.withStore(parsed, audited: true) { (store) throws(StoreError) in
            var status = ExitCode.success
            for id in ids {
                do {
                    try store.delete(id: id, comment: parsed.value("--comment"), user: self.user())
                    Output.print("deleted \(id)")
                } catch {
                    Output.error("sluice: \(error)")
                    status = ExitCode.checkFailed
                }
            }
            return status
        }
    }

    static func purge(_ arguments: [String]) throws(UsageError) -> Int32 {
        let parsed = try CommandArguments(
            arguments, options: ["--config", "--older-than"], flags: [])
        try self.noPositionals(parsed)
        guard let text = parsed.value("--older-than") else {
            throw UsageError(message: "purge needs --older-than, such as --older-than 30d")
        }
        let age = try self.duration(text, option: "--older-than")
        return self.withStore(parsed, audited: true) { (store) throws(StoreError) in
            let purged = try store.purge(olderThan: Date() - age, user: self.user())
            Output.print("purged \(purged.count) message\(purged.count == 1 ? "" : "s")")
            return ExitCode.success
        }
    }

    static func stats(_ arguments: [String]) throws(UsageError) -> Int32 {
        let parsed = try CommandArguments(arguments, options: ["--config"], flags: ["--json"])
        try self.noPositionals(parsed)
        return self.withStore(parsed, audited: false) { (store) throws(StoreError) in
            let stats = try store.stats()
            Output.print(parsed.has("--json") ? self.json(stats) : QuarantineTable.stats(stats))
            return ExitCode.success
        }
    }

    // MARK: Helpers

    /// Opens the configured store (and the audit log for actions) and runs `body`; a bad
    /// configuration exits 78, a store failure 1.
    static func withStore(
        _ parsed: CommandArguments, audited: Bool,
        _ body: (QuarantineStore) throws(StoreError) -> Int32
    ) -> Int32 {
        self.withStore(parsed, audited: audited) { (store, _) throws(StoreError) in
            try body(store)
        }
    }

    static func withStore(
        _ parsed: CommandArguments, audited: Bool,
        _ body: (QuarantineStore, QuarantineSettings) throws(StoreError) -> Int32
    ) -> Int32 {
        let configuration: Configuration
        do {
            configuration = try ConfigLoading.load(parsed.value("--config"), optional: true)
        } catch {
            Output.error("sluice: \(error)")
            return ExitCode.config
        }
        let settings = configuration.quarantine
        do {
            let key = settings.encrypt ? try QuarantineStore.loadKey(path: settings.keyFile) : nil
            let audit = try configuration.audit.path.flatMap { (path) throws(StoreError) in
                audited ? try AuditLog(path: path) : nil
            }
            let store = try QuarantineStore(
                directory: settings.path, key: key, audit: audit, create: false)
            return try body(store, settings)
        } catch {
            Output.error("sluice: \(error)")
            return ExitCode.checkFailed
        }
    }

    /// The reviewer: the unix user, and who used sudo to become it (`SUDO_USER`).
    static func user() -> String {
        let name = getpwuid(getuid()).map { String(cString: $0.pointee.pw_name) }
        let user = name ?? "uid \(getuid())"
        if let sudo = ProcessInfo.processInfo.environment["SUDO_USER"], sudo != user {
            return "\(user) (sudo by \(sudo))"
        }
        return user
    }

    /// Ids as typed, normalised the way reference ids are (O read as 0, I and L as 1).
    static func ids(_ parsed: CommandArguments) throws(UsageError) -> [String] {
        guard !parsed.positionals.isEmpty else {
            throw UsageError(message: "no message ID given")
        }
        return parsed.positionals.map { ReferenceID($0)?.description ?? $0 }
    }

    static func singleID(_ parsed: CommandArguments) throws(UsageError) -> String {
        let ids = try self.ids(parsed)
        guard ids.count == 1 else {
            throw UsageError(message: "expected one message ID, got \(ids.count)")
        }
        return ids[0]
    }

    static func noPositionals(_ parsed: CommandArguments) throws(UsageError) {
        if let extra = parsed.positionals.first {
            throw UsageError(message: "unexpected argument '\(extra)'")
        }
    }

    static func duration(_ text: String, option: String) throws(UsageError) -> Double {
        guard let seconds = ConfigValue.duration(text), seconds > 0 else {
            throw UsageError(message: "\(option) needs a duration such as 2d, 12h or 30m")
        }
        return seconds
    }

    static func count(_ text: String?, option: String) throws(UsageError) -> Int? {
        guard let text else {
            return nil
        }
        guard let value = Int(text), value >= 0 else {
            throw UsageError(message: "\(option) needs a whole number, got '\(text)'")
        }
        return value
    }

    static func json<Value: Encodable>(_ value: Value) -> String {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys, .withoutEscapingSlashes]
        encoder.dateEncodingStrategy = .iso8601
        let data = (try? encoder.encode(value)) ?? Data("null".utf8)
        return String(decoding: data, as: UTF8.self)
    }
}
