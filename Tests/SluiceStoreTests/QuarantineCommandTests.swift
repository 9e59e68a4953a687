// `sluice quarantine` through the built binary: a store filled through the library, then
// list, show, export, release (against smtp-sink), delete, purge and stats run as a reviewer
// would, comparing output and exit status. Runs once `quarantine` is in the dispatcher.

import Foundation
import SluiceTestSupport
import Testing

@testable import SluiceStore

@Suite(.serialized, .enabled(if: QuarantineCommandAvailability.wired))
struct QuarantineCommandTests {
    /// A configuration whose quarantine and audit log live in a scratch folder.
    struct Setup {
        let scratch: TemporaryDirectory
        let config: String
        let store: QuarantineStore

        init(relayPort: UInt16 = 10026, extra: String = "", key: Data? = nil) throws {
            self.scratch = try QuarantineFixtures.scratch()
            self.config = self.scratch.appending("sluice.conf")
            let text = """
                [quarantine]
                path = \(self.scratch.appending("q"))
                release_relay = 127.0.0.1:\(relayPort)
                \(extra)

                [audit]
                path = \(self.scratch.appending("audit.log"))
                """
            try text.write(toFile: self.config, atomically: true, encoding: .utf8)
            self.store = try QuarantineStore(directory: self.scratch.appending("q"), key: key)
        }

        func run(_ arguments: [String]) throws -> ProcessResult {
            try SluiceBinary.run(["quarantine"] + arguments + ["--config", self.config])
        }
    }

    static var unixUser: String {
        getpwuid(getuid()).map { String(cString: $0.pointee.pw_name) } ?? "?"
    }

    @Test func listFitsOneHundredColumnsNewestFirstWithFilters() throws {
        let setup = try Setup()
        defer { setup.scratch.remove() }
        let start = Date(timeIntervalSince1970: 1_800_000_000)
        for index in 0..<4 {
            try QuarantineFixtures.hold(
                setup.store, index, time: start + Double(index) * 60,
                sender: index == 3
                    ? "a-very-long-sender-address@subsidiary.example" : "alice@corp.example")
        }
        var input = QuarantineFixtures.input(9, time: start + 600)
        input.subject = "季度财务报表 — 机密 \u{1B}[31mred\u{1B}[0m \u{202E}fdp.exe"
        let bytes = QuarantineFixtures.message(9)
        try bytes.withUnsafeBytes {
            try setup.store.hold(id: "9999ZZZZ", message: $0, record: input)
        }

        let result = try setup.run(["list"])
        #expect(result.status == 0, "\(result.combinedOutput)")
        let lines = result.standardOutput.split(separator: "\n").map(String.init)
        #expect(
            lines.first?.hasPrefix("ID        HELD (UTC)   STATE") == true,
            "got \(lines.first ?? "")")
        for line in lines {
            let width = QuarantineTableWidth.columns(line)
            #expect(width <= 100, "\(width) columns: \(line)")
        }
        #expect(!result.standardOutput.contains("\u{1B}"), "escape sequence reached the terminal")
        #expect(!result.standardOutput.contains("\u{202E}"), "bidi override reached the terminal")
        let ids = lines.dropFirst().map { String($0.prefix(8)) }
        #expect(ids == ["9999ZZZZ"] + [3, 2, 1, 0].map(QuarantineFixtures.id))

        let filtered = try setup.run(["list", "--sender", "subsidiary", "--state", "held"])
        #expect(
            filtered.standardOutput.split(separator: "\n").count == 2, "\(filtered.standardOutput)")

        let paged = try setup.run(["list", "--limit", "2"])
        #expect(
            paged.standardOutput.hasSuffix("1-2 of 5; --offset 2 for more\n"),
            "\(paged.standardOutput)")

        let json = try setup.run(["list", "--json", "--rule", "card-external"])
        let objects = json.standardOutput.split(separator: "\n").compactMap {
            try? JSONSerialization.jsonObject(with: Data($0.utf8)) as? [String: Any]
        }
        #expect(objects.count == 5)
        #expect(objects.first?["id"] as? String == "9999ZZZZ")
    }

    @Test func showAndExportGiveTheRecordAndTheOriginal() throws {
        let setup = try Setup()
        defer { setup.scratch.remove() }
        try QuarantineFixtures.hold(setup.store, 1)
        let id = QuarantineFixtures.id(1)

        let show = try setup.run(["show", id.lowercased()])
        #expect(show.status == 0, "\(show.combinedOutput)")
        for expected in [
            "ID:          \(id)", "State:       held", "From:        alice@corp.example",
            "To:          bob@partner.example (external)", "             carol@corp.example",
            "Rules:       card-external", "Findings:    payment-card x1: 4111********1111",
            "Attachments: figures.xlsx (application/xlsx, 812 bytes)",
        ] {
            #expect(show.standardOutput.contains(expected + "\n"), "missing '\(expected)'")
        }
        let original = String(decoding: QuarantineFixtures.message(1), as: UTF8.self)
        #expect(try setup.run(["show", id, "--raw"]).standardOutput == original)
        #expect(try setup.run(["export", id]).standardOutput == original)

        let missing = try setup.run(["show", "ZZZZZZZZ"])
        #expect(missing.status == 1)
        #expect(missing.standardError == "sluice: show: no message ZZZZZZZZ\n")
    }

    @Test func releaseOnceThenRefusedAndRecordedWithTheUnixUser() throws {
        try withSMTPSink { sink in
            let setup = try Setup(relayPort: sink.port)
            defer { setup.scratch.remove() }
            try QuarantineFixtures.hold(setup.store, 2)
            let id = QuarantineFixtures.id(2)

            let first = try setup.run(["release", id, "--comment", "ok per legal"])
            #expect(first.status == 0, "\(first.combinedOutput)")
            #expect(
                first.standardOutput
                    == "released \(id) to bob@partner.example, carol@corp.example\n")
            let second = try setup.run(["release", id])
            #expect(second.status == 1)
            #expect(
                second.standardError == "sluice: release: message \(id) is released, not held\n")

            let delivered = try sink.waitForMessages(count: 1)
            let original = QuarantineFixtures.message(2)
            let data = try #require(delivered.first?.data)
            #expect(data.starts(with: Array("X-Sluice-Released: by ".utf8)))
            #expect(Array(data.suffix(original.count)) == original)
            let history = try #require(try setup.store.record(id: id)).history
            #expect(history.map(\.action) == ["release"])
            #expect(history.first?.user.hasPrefix(Self.unixUser) == true)
            let audit = try String(
                contentsOfFile: setup.scratch.appending("audit.log"), encoding: .utf8)
            #expect(audit.contains("\"event\":\"release\""))
            #expect(audit.contains("\"comment\":\"ok per legal\""))
        }
    }

    @Test func deletePurgeAndStats() throws {
        let setup = try Setup()
        defer { setup.scratch.remove() }
        let now = Date()
        for index in 0..<3 {
            try QuarantineFixtures.hold(setup.store, index, time: now - Double(index) * 20 * 86_400)
        }
        let deleted = try setup.run(["delete", QuarantineFixtures.id(0), "--comment", "test mail"])
        #expect(deleted.status == 0, "\(deleted.combinedOutput)")
        #expect(deleted.standardOutput == "deleted \(QuarantineFixtures.id(0))\n")

        let stats = try setup.run(["stats"])
        #expect(stats.status == 0)
        #expect(stats.standardOutput.hasPrefix("By state:\n  held"), "\(stats.standardOutput)")
        #expect(stats.standardOutput.contains("  card-external"))

        let purge = try setup.run(["purge", "--older-than", "30d"])
        #expect(purge.standardOutput == "purged 1 message\n", "\(purge.combinedOutput)")
        #expect(try setup.store.list().total == 2)
        let audit = try String(
            contentsOfFile: setup.scratch.appending("audit.log"), encoding: .utf8)
        #expect(audit.contains("\"event\":\"delete\"") && audit.contains("\"event\":\"purge\""))
    }

    @Test(arguments: [
        (["bogus"], "Error: expected one of list, show, release"),
        (["show"], "Error: no message ID given"),
        (["export", "A", "B"], "Error: expected one message ID, got 2"),
        (["list", "--since", "soon"], "Error: --since needs a duration"),
        (["list", "--state", "lost"], "Error: --state must be one of held"),
        (["purge"], "Error: purge needs --older-than"),
    ])
    func usageErrorsExit64(arguments: [String], message: String) throws {
        let result = try SluiceBinary.run(["quarantine"] + arguments)
        #expect(result.status == 64, "\(arguments): got \(result.status)")
        #expect(
            result.standardError.hasPrefix(message), "\(arguments): got \(result.standardError)")
    }

    @Test func encryptedStoreNeedsAPrivateKeyFile() throws {
        let key = Data((0..<32).map { UInt8($0) })
        let keyPath = "/tmp/sluice-quarantine-key-\(getpid())"
        let setup = try Setup(extra: "encrypt = yes\nkey_file = \(keyPath)", key: key)
        defer {
            setup.scratch.remove()
            unlink(keyPath)
        }
        try QuarantineFixtures.hold(setup.store, 3)
        _ = FileManager.default.createFile(atPath: keyPath, contents: key)

        chmod(keyPath, 0o644)
        let open = try setup.run(["export", QuarantineFixtures.id(3)])
        #expect(open.status == 1)
        #expect(open.standardError.contains("accessible to other users"), "\(open.standardError)")

        chmod(keyPath, 0o600)
        let export = try setup.run(["export", QuarantineFixtures.id(3)])
        #expect(export.status == 0, "\(export.combinedOutput)")
        #expect(
            export.standardOutput == String(decoding: QuarantineFixtures.message(3), as: UTF8.self))
    }
}

/// Whether the built `sluice` dispatches `quarantine` to `QuarantineCommand`.
enum QuarantineCommandAvailability {
    static let wired: Bool = {
        let result = try? SluiceBinary.run(["quarantine"])
        return result?.standardError.contains("expected one of list") == true
    }()
}

/// Display width as a terminal counts it, for checking the 100-column layout.
enum QuarantineTableWidth {
    static func columns(_ line: String) -> Int {
        line.unicodeScalars.reduce(0) { total, scalar in
            let value = scalar.value
            let wide = (0x2E80...0xA4CF).contains(value) || (0xFF00...0xFF60).contains(value)
            return total + (wide ? 2 : 1)
        }
    }
}
