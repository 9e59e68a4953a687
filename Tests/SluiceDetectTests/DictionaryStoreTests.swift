// Dictionary management as `sluice dict` uses it: adding with deduplication across Traditional
// and Simplified forms, rejecting bad lines with their line numbers, removing, exporting, the
// audit log, and a change being picked up by the next engine.

import Foundation
import Testing

@testable import SluiceDetect

@Suite struct DictionaryStoreTests {
    let path: String
    let store: DictionaryStore

    init() throws {
        self.path = NSTemporaryDirectory() + "sluice-dict-\(UUID().uuidString)"
        try FileManager.default.createDirectory(
            atPath: self.path, withIntermediateDirectories: true)
        try "# header\n机密\nTrade Secret\n".write(
            toFile: self.path + "/confidential.txt", atomically: true, encoding: .utf8)
        self.store = DictionaryStore(path: self.path)
    }

    @Test func addDeduplicatesAndRejects() throws {
        defer { self.cleanUp() }
        let report = try self.store.add(
            ["機密", "董事会决议", "董事会决议", "x", "/ok\\d+/", "/bad(/", "# note", "TRADE SECRET"],
            to: "confidential", user: "tester", source: "input.txt")
        #expect(report.added == ["董事会决议", "/ok\\d+/"])
        #expect(report.duplicates == ["機密", "董事会决议", "TRADE SECRET"])
        #expect(
            report.invalid.map(\.description).map { $0.prefix(19) } == [
                "input.txt:4: error:", "input.txt:6: error:",
            ])
        let lines = try self.store.show("confidential").lines
        #expect(lines == ["# header", "机密", "Trade Secret", "董事会决议", "/ok\\d+/"])
        let engine = try DetectionEngine(dictionaryDirectory: self.path)
        #expect(engine.hits(in: "关于董事會決議的通知", location: "b").hits.count == 1)
    }

    @Test func removeAndExportAndAudit() throws {
        defer { self.cleanUp() }
        let report = try self.store.remove(["機密", "nothing"], from: "confidential", user: "tester")
        #expect(report.removed == ["機密"])
        #expect(report.notFound == ["nothing"])
        #expect(try self.store.export("confidential") == ["Trade Secret"])
        _ = try self.store.add(["新词语"], to: "newlist", user: "tester")
        #expect(try self.store.list().map(\.name) == ["confidential", "newlist"])
        #expect(try self.store.list().map(\.termCount) == [1, 1])

        let log = try String(contentsOfFile: self.path + "/.audit.log", encoding: .utf8)
        let lines = log.split(separator: "\n")
        #expect(lines.count == 2)
        #expect(
            lines.first?.hasSuffix("user=tester dictionary=confidential added=0 removed=1") == true)
        #expect(lines.last?.hasSuffix("user=tester dictionary=newlist added=1 removed=0") == true)
    }

    @Test func rejectsBadNamesAndMissingDictionaries() {
        defer { self.cleanUp() }
        #expect(throws: DetectError.invalidName("../etc")) {
            try self.store.add(["term"], to: "../etc", user: "tester")
        }
        #expect(throws: DetectError.noSuchDictionary("absent")) {
            try self.store.show("absent")
        }
    }

    @Test func checkReportsEveryBadLine() throws {
        defer { self.cleanUp() }
        try "ok\n/(/\nz\n".write(toFile: self.path + "/bad.txt", atomically: true, encoding: .utf8)
        let problems = try self.store.check().map(\.description)
        #expect(problems.count == 2)
        #expect(problems.first?.hasPrefix(self.path + "/bad.txt:2: error:") == true)
        #expect(problems.last?.hasPrefix(self.path + "/bad.txt:3: error:") == true)
    }

    @Test func modificationStampChangesOnEdit() throws {
        defer { self.cleanUp() }
        let before = try self.store.directory.modificationStamp()
        _ = try self.store.add(["另一个词"], to: "confidential", user: "tester")
        #expect(try self.store.directory.modificationStamp() != before)
    }

    func cleanUp() {
        try? FileManager.default.removeItem(atPath: self.path)
    }
}
