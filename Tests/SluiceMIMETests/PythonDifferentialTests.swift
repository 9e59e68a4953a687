// Differential test against Python's `email` package, a parser nobody here wrote: every message
// of CPython's own email test corpus is read by both, and part paths, content types, decoded
// file names and whitespace-normalised decoded text must agree, except where listed below.

import Foundation
import Testing

@testable import SluiceMIME

/// One entity as Python's `email` sees it (see python_email_dump.py).
struct PythonEntity: Decodable {
    var path: String
    var type: String
    var parentType: String?
    var filename: String?
    var subject: String?
    var text: String?
}

enum PythonCorpus {
    static let directory = URL(fileURLWithPath: #filePath).deletingLastPathComponent()
    static let script = directory.appendingPathComponent("python_email_dump.py").path
    static let generator = directory.appendingPathComponent("python_email_generate.py").path

    /// Messages built by Python's `email` for each feature, written under a fresh directory.
    static func generatedFiles() -> [String]? {
        let target = FileManager.default.temporaryDirectory
            .appendingPathComponent("sluice-mime-\(UUID().uuidString)")
        let manager = FileManager.default
        guard (try? manager.createDirectory(at: target, withIntermediateDirectories: true)) != nil,
            let output = run([generator, target.path])
        else { return nil }
        let files = String(decoding: output, as: UTF8.self).split(separator: "\n").map(String.init)
        return files.isEmpty ? nil : files
    }

    /// CPython's email test messages, or nil when Python or its test package is missing.
    static let messageFiles: [String]? = {
        guard let directory = run(["-c", "import test, os; print(os.path.dirname(test.__file__))"])
        else { return nil }
        let data =
            String(decoding: directory, as: UTF8.self)
            .trimmingCharacters(in: .whitespacesAndNewlines) + "/test_email/data"
        guard let names = try? FileManager.default.contentsOfDirectory(atPath: data) else {
            return nil
        }
        let files = names.filter { $0.hasPrefix("msg_") && $0.hasSuffix(".txt") }.sorted()
        return files.isEmpty ? nil : files.map { "\(data)/\($0)" }
    }()

    static let hasPython = run(["-c", "import email"]) != nil

    /// Python's view of each file, keyed by path.
    static func dump(_ files: [String]) -> [String: [PythonEntity]]? {
        guard let output = run([script] + files) else { return nil }
        return try? JSONDecoder().decode([String: [PythonEntity]].self, from: output)
    }

    static func run(_ arguments: [String]) -> Data? {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: "/usr/bin/env")
        process.arguments = ["python3"] + arguments
        let output = Pipe()
        process.standardOutput = output
        process.standardError = FileHandle.nullDevice
        guard (try? process.run()) != nil else { return nil }
        let data = output.fileHandleForReading.readDataToEndOfFile()
        process.waitUntilExit()
        return process.terminationStatus == 0 ? data : nil
    }
}

/// Collapses whitespace runs and drops replacement characters, which the two decoders emit
/// at different granularity (Python one per byte, Sluice one per bad sequence).
func normalised(_ text: String) -> String {
    text.unicodeScalars.filter { $0 != "\u{FFFD}" }.map(String.init).joined()
        .split(whereSeparator: \.isWhitespace).joined(separator: " ")
}

/// Where Sluice deliberately reads a message differently from Python, and why.
enum DeliberateDifference {
    /// Python splits `message/delivery-status` into one pseudo-message per field block; Sluice
    /// keeps it as one text part, because detectors read it as text and it has no files.
    static func isDeliveryStatusBlock(_ entity: PythonEntity) -> Bool {
        entity.parentType == "message/delivery-status"
    }

    /// Python's compat32 policy keeps raw 8-bit header bytes as surrogate escapes, so the file
    /// name comes out as U+FFFD and the subject loses its non-ASCII words. Mail clients read
    /// such bytes as UTF-8, and so does Sluice (GB18030 when not UTF-8); these are the values
    /// a recipient sees, asserted instead of Python's.
    static let rawHeaderReadings: [String: (filename: String?, subject: String?)] = [
        "raw_eight_bit_headers.eml": ("机密.txt", "机密 raw utf-8")
    ]

    /// Python's entity with the deliberate differences above applied.
    static func applied(_ entity: PythonEntity, file: String) -> PythonEntity {
        guard entity.path == "1", let reading = rawHeaderReadings[file] else { return entity }
        var adjusted = entity
        adjusted.filename = reading.filename
        adjusted.subject = reading.subject
        return adjusted
    }
}

@Suite struct PythonDifferentialTests {
    @Test(
        .enabled(
            if: PythonCorpus.messageFiles != nil,
            "needs python3 with its test package (test/test_email/data)"))
    func corpusAgreesWithPythonEmail() throws {
        let files = try #require(PythonCorpus.messageFiles)
        try self.compareAll(files)
    }

    @Test(.enabled(if: PythonCorpus.hasPython, "needs python3"))
    func generatedMessagesAgreeWithPythonEmail() throws {
        let files = try #require(PythonCorpus.generatedFiles(), "python_email_generate.py failed")
        defer {
            // The generator writes every file into one fresh directory.
            let directories = Set(files.map { ($0 as NSString).deletingLastPathComponent })
            for directory in directories { try? FileManager.default.removeItem(atPath: directory) }
        }
        #expect(files.count >= 10)
        try self.compareAll(files)
    }

    private func compareAll(_ files: [String]) throws {
        let python = try #require(PythonCorpus.dump(files), "python_email_dump.py failed")
        #expect(python.count == files.count)
        var comparedTexts = 0
        for file in files {
            let entities = python[file] ?? []
            let bytes = try [UInt8](Data(contentsOf: URL(fileURLWithPath: file)))
            let message = MIMEMessage(parsing: bytes)
            let name = (file as NSString).lastPathComponent
            comparedTexts += self.compare(message, entities, file: name)
        }
        #expect(comparedTexts >= files.count, "too few texts compared: \(comparedTexts)")
    }

    /// Compares one message and returns how many texts were compared.
    private func compare(_ message: MIMEMessage, _ entities: [PythonEntity], file: String) -> Int {
        var comparedTexts = 0
        let expected = entities.filter { !DeliberateDifference.isDeliveryStatusBlock($0) }
            .map { DeliberateDifference.applied($0, file: file) }
        let ours = message.parts.filter { !$0.flags.contains(.uuencoded) }
        #expect(
            ours.map(\.path) == expected.map(\.path),
            "\(file): parts: got \(ours.map(\.path)), want \(expected.map(\.path))")
        for entity in expected {
            guard let part = message.part(at: entity.path) else { continue }
            #expect(
                part.contentType == entity.type,
                "\(file) \(entity.path): type: got \(part.contentType), want \(entity.type)")
            let (gotName, wantName) = (part.filename ?? "nil", entity.filename ?? "nil")
            #expect(
                part.filename == entity.filename,
                "\(file) \(entity.path): filename: got \(gotName), want \(wantName)")
            if let subject = entity.subject {
                let ours = part.header("subject").map(normalised)
                let want = normalised(subject)
                #expect(
                    ours == want,
                    "\(file) \(entity.path): subject: got \(ours ?? "nil"), want \(want)")
            }
            guard let text = entity.text else { continue }
            comparedTexts += 1
            let got = normalised(message.text(from: .body(path: entity.path)) ?? "")
            let want = normalised(text)
            #expect(
                got == want,
                "\(file) \(entity.path): text:\n got  \(got.prefix(300))\n want \(want.prefix(300))"
            )
        }
        return comparedTexts
    }
}
