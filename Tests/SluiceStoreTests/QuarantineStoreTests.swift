// The quarantine store on its own: what `hold` writes and with which permissions, what a
// failed record commit leaves behind, listing with filters and paging, delete, purge and
// stats, and many threads and two connections writing and reading at once.

import Foundation
import SluiceTestSupport
import Testing

@testable import SluiceStore

@Suite struct QuarantineStoreTests {
    @Test func heldMessageReadsBackExactly() throws {
        let scratch = try QuarantineFixtures.scratch()
        defer { scratch.remove() }
        let store = try QuarantineStore(directory: scratch.path)
        try QuarantineFixtures.hold(store, 1)

        let record = try #require(try store.record(id: QuarantineFixtures.id(1)))
        #expect(record.state == .held)
        #expect(record.input == QuarantineFixtures.input(1, time: record.input.time))
        #expect(!record.encrypted)
        #expect(record.history.isEmpty)
        #expect(try store.message(id: QuarantineFixtures.id(1)) == QuarantineFixtures.message(1))
        #expect(try store.record(id: "NOSUCHID") == nil)
    }

    @Test func filesAndDirectoriesGetTheirModes() throws {
        let scratch = try QuarantineFixtures.scratch()
        defer { scratch.remove() }
        let directory = scratch.appending("q")
        let store = try QuarantineStore(directory: directory)
        try QuarantineFixtures.hold(store, 2)

        let id = QuarantineFixtures.id(2)
        let file = try store.messagePath(id, creatingDirectory: false)
        let expected: [(String, Int)] = [
            (directory, 0o750), (directory + "/messages", 0o750),
            ((file as NSString).deletingLastPathComponent, 0o750), (file, 0o640),
            (directory + "/quarantine.db", 0o640),
        ]
        for (path, mode) in expected {
            let attributes = try FileManager.default.attributesOfItem(atPath: path)
            let actual = (attributes[.posixPermissions] as? Int) ?? -1
            #expect(
                actual == mode,
                "\(path): want \(String(mode, radix: 8)), got \(String(actual, radix: 8))")
        }

        // The file carries the envelope line before the original bytes.
        let contents = try #require(FileManager.default.contents(atPath: file))
        let newline = try #require(contents.firstIndex(of: 0x0A))
        #expect(
            String(decoding: contents[..<newline], as: UTF8.self).contains("bob@partner.example"))
        #expect(Array(contents[(newline + 1)...]) == QuarantineFixtures.message(2))
    }

    @Test func aSecondHoldOfTheSameIDIsRefusedAndKeepsTheFirst() throws {
        let scratch = try QuarantineFixtures.scratch()
        defer { scratch.remove() }
        let store = try QuarantineStore(directory: scratch.path)
        try QuarantineFixtures.hold(store, 3)
        let other = Array("Subject: other\r\n\r\nother\r\n".utf8)
        #expect(throws: StoreError.self) {
            try other.withUnsafeBytes { buffer in
                try store.hold(
                    id: QuarantineFixtures.id(3), message: buffer,
                    record: QuarantineFixtures.input(3))
            }
        }
        #expect(try store.message(id: QuarantineFixtures.id(3)) == QuarantineFixtures.message(3))
    }

    @Test(arguments: ["../escape", "", "a/b", "-rf", String(repeating: "A", count: 65)])
    func idsThatAreNotFileNamesAreRefused(id: String) throws {
        let scratch = try QuarantineFixtures.scratch()
        defer { scratch.remove() }
        let store = try QuarantineStore(directory: scratch.path)
        let message = QuarantineFixtures.message()
        #expect(throws: StoreError.self) {
            try message.withUnsafeBytes { buffer in
                try store.hold(id: id, message: buffer, record: QuarantineFixtures.input())
            }
        }
    }

    @Test func aFailedRecordCommitLeavesNeitherRecordNorFile() throws {
        let scratch = try QuarantineFixtures.scratch()
        defer { scratch.remove() }
        let store = try QuarantineStore(directory: scratch.path)
        try store.database.withLock { (database) throws(StoreError) in
            try database.execute(
                """
                CREATE TRIGGER refuse BEFORE INSERT ON messages
                BEGIN SELECT RAISE(ABORT, 'simulated disk full'); END
                """)
        }
        let error = try #require(throws: StoreError.self) {
            try QuarantineFixtures.hold(store, 4)
        }
        #expect(error.description.contains("simulated disk full"), "got \(error)")
        let id = QuarantineFixtures.id(4)
        #expect(try store.record(id: id) == nil)
        let file = try store.messagePath(id, creatingDirectory: false)
        #expect(!FileManager.default.fileExists(atPath: file), "file left behind at \(file)")
    }

    @Test func anUnwritableMessageDirectoryFailsTheHoldWithoutARecord() throws {
        guard geteuid() != 0 else {
            // Root ignores directory permissions; the commit-failure test covers the order.
            return
        }
        let scratch = try QuarantineFixtures.scratch()
        defer { scratch.remove() }
        let store = try QuarantineStore(directory: scratch.path)
        chmod(store.messagesDirectory, 0o500)
        defer { chmod(store.messagesDirectory, 0o750) }
        #expect(throws: StoreError.self) { try QuarantineFixtures.hold(store, 5) }
        #expect(try store.record(id: QuarantineFixtures.id(5)) == nil)
    }

    @Test func listFiltersPagesAndSortsNewestFirst() throws {
        let scratch = try QuarantineFixtures.scratch()
        defer { scratch.remove() }
        let store = try QuarantineStore(directory: scratch.path)
        let start = Date(timeIntervalSince1970: 1_800_000_000)
        for index in 0..<30 {
            try QuarantineFixtures.hold(
                store, index, time: start + Double(index) * 3600,
                sender: index % 3 == 0 ? "Mallory@Corp.example" : "alice@corp.example",
                rules: index % 2 == 0 ? ["card-external", "bulk"] : ["card-external"])
        }
        try store.delete(id: QuarantineFixtures.id(29), user: "reviewer")

        let cases: [(QuarantineQuery, total: Int, first: Int?)] = [
            (QuarantineQuery(), 30, 29),
            (QuarantineQuery(state: .held), 29, 28),
            (QuarantineQuery(state: .deleted), 1, 29),
            (QuarantineQuery(sender: "mallory@corp"), 10, 27),
            (QuarantineQuery(rule: "bulk"), 15, 28),
            (QuarantineQuery(rule: "none"), 0, nil),
            (QuarantineQuery(since: start + 25 * 3600), 5, 29),
            (QuarantineQuery(state: .held, sender: "MALLORY", rule: "bulk"), 5, 24),
            (QuarantineQuery(limit: 10, offset: 10), 30, 19),
        ]
        for (query, total, first) in cases {
            let page = try store.list(query)
            #expect(page.total == total, "\(query): want total \(total), got \(page.total)")
            let firstID = page.records.first?.id
            #expect(
                firstID == first.map(QuarantineFixtures.id), "\(query): got first \(firstID ?? "-")"
            )
            let times = page.records.map(\.input.time)
            #expect(times == times.sorted(by: >), "\(query): not newest first")
        }
        #expect(try store.list(QuarantineQuery(limit: 10, offset: 25)).records.count == 5)
    }

    @Test func deleteRemovesTheFileKeepsTheHistoryAndRefusesTwice() throws {
        let scratch = try QuarantineFixtures.scratch()
        defer { scratch.remove() }
        let audit = try AuditLog(path: scratch.appending("audit.log"))
        let store = try QuarantineStore(directory: scratch.appending("q"), audit: audit)
        try QuarantineFixtures.hold(store, 6)
        let id = QuarantineFixtures.id(6)

        try store.delete(id: id, comment: "false positive, test data", user: "reviewer")
        let record = try #require(try store.record(id: id))
        #expect(record.state == .deleted)
        #expect(record.history.map(\.action) == ["delete"])
        #expect(record.history.first?.user == "reviewer")
        #expect(record.history.first?.comment == "false positive, test data")
        #expect(
            !FileManager.default.fileExists(
                atPath: try store.messagePath(id, creatingDirectory: false)))
        #expect(throws: StoreError.self) { try store.message(id: id) }
        let again = try #require(throws: StoreError.self) {
            try store.delete(id: id, user: "reviewer")
        }
        #expect(again.description == "delete: message \(id) is deleted")

        let log = try String(contentsOfFile: scratch.appending("audit.log"), encoding: .utf8)
        #expect(log.contains("\"event\":\"delete\""))
        #expect(log.contains("\"user\":\"reviewer\""))
        #expect(try AuditChain.verify(paths: [scratch.appending("audit.log")]).broken == nil)
    }

    @Test func purgeRemovesOldRecordsAndFilesTogether() throws {
        let scratch = try QuarantineFixtures.scratch()
        defer { scratch.remove() }
        let store = try QuarantineStore(directory: scratch.path)
        let now = Date()
        for index in 0..<6 {
            try QuarantineFixtures.hold(store, index, time: now - Double(index) * 10 * 86_400)
        }
        try store.delete(id: QuarantineFixtures.id(5), user: "reviewer")

        // Files of holds that died before their commit: an old one and one maybe in flight.
        let folder = try store.messagePath("ZZ000000", creatingDirectory: true)
        let stale = folder, fresh = folder.dropLast() + "1"
        for orphan in [stale, String(fresh)] {
            _ = FileManager.default.createFile(atPath: orphan, contents: Data("x".utf8))
        }
        try FileManager.default.setAttributes(
            [.modificationDate: now - 30 * 86_400], ofItemAtPath: stale)

        let purged = try store.purge(olderThan: now - 25 * 86_400)
        #expect(!FileManager.default.fileExists(atPath: stale), "old orphan kept")
        #expect(FileManager.default.fileExists(atPath: String(fresh)), "fresh orphan removed")
        #expect(Set(purged.map(\.id)) == Set([3, 4, 5].map(QuarantineFixtures.id)))
        #expect(try store.list().total == 3)
        for index in 0..<6 {
            let path = try store.messagePath(QuarantineFixtures.id(index), creatingDirectory: false)
            #expect(FileManager.default.fileExists(atPath: path) == (index < 3), "message \(index)")
        }
        #expect(try store.purge(olderThan: now - 25 * 86_400).isEmpty)
    }

    @Test func statsCountByStateRuleAndDay() throws {
        let scratch = try QuarantineFixtures.scratch()
        defer { scratch.remove() }
        let store = try QuarantineStore(directory: scratch.path)
        let day = Date(timeIntervalSince1970: 1_800_000_000)  // 2027-01-15 08:00 UTC
        for index in 0..<5 {
            try QuarantineFixtures.hold(
                store, index, time: day + Double(index % 2) * 86_400,
                rules: index < 2 ? ["bulk", "card-external"] : ["card-external"])
        }
        try store.delete(id: QuarantineFixtures.id(0), user: "reviewer")

        let stats = try store.stats()
        #expect(stats.byState == [.init(name: "held", count: 4), .init(name: "deleted", count: 1)])
        #expect(
            stats.byRule == [.init(name: "card-external", count: 5), .init(name: "bulk", count: 2)])
        #expect(
            stats.byDay == [
                .init(name: "2027-01-16", count: 2), .init(name: "2027-01-15", count: 3),
            ])
    }

    @Test func manyThreadsAndASecondConnectionWorkAtOnce() throws {
        let scratch = try QuarantineFixtures.scratch()
        defer { scratch.remove() }
        let milter = try QuarantineStore(directory: scratch.path)
        // A second store on the same directory stands in for the review CLI's process.
        let reviewer = try QuarantineStore(directory: scratch.path)
        let perThread = 25
        let counts = try runOnThreads(8) { thread in
            var seen = 0
            for step in 0..<perThread {
                let index = thread * 1000 + step
                if thread < 6 {
                    try QuarantineFixtures.hold(milter, index)
                } else if thread == 6 {
                    seen = max(seen, try reviewer.list(QuarantineQuery(limit: 5)).total)
                } else if step % 5 == 0, seen > 0 {
                    let id = try reviewer.list(QuarantineQuery(state: .held, limit: 1))
                        .records.first?.id
                    if let id {
                        try? reviewer.delete(id: id, user: "reviewer")
                    }
                } else {
                    seen = try reviewer.stats().byState.reduce(0) { $0 + $1.count }
                }
            }
            return seen
        }
        #expect(counts.allSatisfy { $0 <= 6 * perThread })
        #expect(try milter.list().total == 6 * perThread)
        #expect(try reviewer.list(QuarantineQuery(limit: 1000)).records.count == 6 * perThread)
    }
}
