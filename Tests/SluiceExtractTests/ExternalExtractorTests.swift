// PDF and legacy Office text through sandboxed child processes: text from a compressed PDF, the
// same from the running sluice-pdf reader as from pdftotext, and an extractor or reader that
// crashes, hangs, floods or talks nonsense leaves the item flagged, never the caller hurt.
// Encrypted PDFs and password-protected OOXML (an OLE wrapper) are reported encrypted.

import Foundation
import Testing

@testable import SluiceExtract

@Suite struct ExternalExtractorTests {
    @Test func flateCompressedPDFText() throws {
        let pdf = try OfficeFixtures.flatePDF("PDF-SECRET 2026")
        #expect(!String(decoding: pdf, as: UTF8.self).contains("PDF-SECRET"))
        let item = try #require(
            Extractor().extract(Attachment(name: "a.pdf", declaredType: nil, path: "1", bytes: pdf))
                .items.first)
        #expect(item.detectedType == "application/pdf")
        #expect(item.groups == [.pdf])
        #expect(item.text.contains("PDF-SECRET 2026"), "got \(item.text)")
        #expect(item.scanned && item.problem == nil)
    }

    @Test func filesAttachedToAPDFAreScannedAsMembers() throws {
        let pdf = try OfficeFixtures.pdfWithAttachment("id,card\n1,PDF-ATTACHED-KEY\n")
        let result = Extractor().extract(
            Attachment(name: "cover.pdf", declaredType: nil, path: "2", bytes: pdf))
        #expect(result.items.map(\.path) == ["2", "2/data.csv"], "\(result.items)")
        #expect(result.items.first?.text.contains("cover page") == true)
        #expect(result.item(at: "2/data.csv")?.text.contains("PDF-ATTACHED-KEY") == true)
        #expect(result.items.allSatisfy { $0.scanned })
    }

    @Test func attachedFilesStayWithinTheExpansionBudget() throws {
        let pdf = try OfficeFixtures.pdfWithAttachment(String(repeating: "id,card\n", count: 100))
        let limits = ExtractionLimits(maxTotalBytes: 64)
        for tools in [ExternalTools(), ExternalTools(pdfReader: nil)] {
            let result = Extractor(limits: limits, tools: tools).extract(
                Attachment(name: "cover.pdf", declaredType: nil, path: "2", bytes: pdf))
            let member = try #require(result.item(at: "2/data.csv"))
            #expect(member.size <= 64)
            #expect(member.problem?.kind == .fileSizeLimit, "\(result.items)")
        }
    }

    @Test func readerAndUtilitiesAgree() throws {
        #expect(ExternalTools().pdfReader != nil, "sluice-pdf is built beside the tests")
        let plain = try OfficeFixtures.flatePDF("SAME TEXT 42")
        let attached = try OfficeFixtures.pdfWithAttachment("id\n1,SAME-ATTACHED\n")
        for pdf in [plain, attached] {
            let attachment = Attachment(name: "a.pdf", declaredType: nil, path: "1", bytes: pdf)
            let reader = Extractor().extract(attachment)
            let utilities = Extractor(tools: ExternalTools(pdfReader: nil)).extract(attachment)
            #expect(reader.items.map(\.path) == utilities.items.map(\.path))
            for (one, other) in zip(reader.items, utilities.items) {
                let words = { (text: String) in text.split(whereSeparator: \.isWhitespace) }
                #expect(words(one.text) == words(other.text), "\(one.text) / \(other.text)")
                #expect(one.scanned && other.scanned)
            }
        }
    }

    @Test func readersServeManyThreadsAndComeBack() async throws {
        let texts = (0..<12).map { "THREAD-PDF-\($0)" }
        let pdfs = try texts.map { try OfficeFixtures.flatePDF($0) }
        let read = await withTaskGroup(of: (Int, String).self) { group in
            for round in 0..<48 {
                group.addTask {
                    let number = round % pdfs.count
                    let attachment = Attachment(
                        name: "a.pdf", declaredType: nil, path: "1", bytes: pdfs[number])
                    return (number, Extractor().extract(attachment).items.first?.text ?? "")
                }
            }
            return await group.reduce(into: []) { $0.append($1) }
        }
        #expect(read.count == 48)
        for (number, text) in read {
            #expect(text.contains(texts[number]) && !text.contains(texts[(number + 1) % 12]))
        }
    }

    @Test func corruptPDFIsFlagged() {
        let bytes = Array("%PDF-1.7\n%\u{e2}\u{e3}\n1 0 obj << /Pages 9 0 R >> garbage".utf8)
        let item = Extractor().extract(
            Attachment(name: "bad.pdf", declaredType: nil, path: "1", bytes: bytes)
        ).items.first
        #expect(item?.scanned == false)
        #expect(item?.problem?.kind == .extractorFailed, "\(item?.problem?.description ?? "")")
    }

    @Test func encryptDictionaryMarksThePDFEncrypted() throws {
        var pdf = try OfficeFixtures.flatePDF("x")
        pdf.append(contentsOf: Array("trailer << /Encrypt 9 0 R >>\n".utf8))
        let item = Extractor().extract(
            Attachment(name: "locked.pdf", declaredType: nil, path: "1", bytes: pdf)
        ).items.first
        #expect(item?.encrypted == true)
        #expect(item?.groups.contains(.encrypted) == true)
    }

    /// Writes an executable script through a close-on-exec descriptor: a child another test
    /// starts meanwhile must not inherit it open for writing, or running it fails with
    /// ETXTBSY.
    private static func writeScript(_ text: String, to path: String) throws {
        let descriptor = open(path, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0o755)
        guard descriptor >= 0 else { throw CocoaError(.fileWriteUnknown) }
        defer { close(descriptor) }
        let bytes = Array(text.utf8)
        guard bytes.withUnsafeBytes({ write(descriptor, $0.baseAddress, $0.count) }) == bytes.count
        else { throw CocoaError(.fileWriteUnknown) }
    }

    /// A stand-in for pdftotext, or for the sluice-pdf reader, run on a PDF under tight
    /// limits; `body` is a shell script body. However it misbehaves, the run ends well within
    /// 10 s.
    private func fakeExtractor(_ body: String, reader: Bool = false) throws -> ExtractedItem? {
        let limits = ExtractionLimits(
            maxTextBytes: 1 << 20, childCPUSeconds: 5, childMemoryBytes: 256 << 20,
            childTimeout: .seconds(3))
        let clock = ContinuousClock()
        let started = clock.now
        defer { #expect(clock.now - started < .seconds(10)) }
        let directory = FileManager.default.temporaryDirectory
            .appendingPathComponent("sluice-fake-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: directory) }
        let script = directory.appendingPathComponent("pdftotext")
        // A stand-in reader greets first, as sluice-pdf does, then misbehaves.
        let greeting = reader ? "printf SPDR\n" : ""
        try Self.writeScript("#!/bin/sh\n\(greeting)\(body)\n", to: script.path)
        let tools =
            reader
            ? ExternalTools(pdfReader: script.path)
            : ExternalTools(pdfReader: nil, pdftotext: script.path)
        let extractor = Extractor(limits: limits, tools: tools)
        let pdf = try OfficeFixtures.flatePDF("x")
        return extractor.extract(
            Attachment(name: "a.pdf", declaredType: nil, path: "1", bytes: pdf)
        )
        .items.first
    }

    @Test(arguments: [
        ("echo partial; kill -SEGV $$", "killed by signal 11"),
        ("echo partial; exec sleep 30", "killed after"),
        ("exec python3 -c 'x = bytearray(400 << 20); print(len(x))'", "exited with status 1"),
        ("exec yes FLOOD", "beyond"),
    ])
    func misbehavingExtractorIsContained(script: String, detail: String) throws {
        let item = try #require(try self.fakeExtractor(script))
        #expect(!item.scanned)
        #expect(item.problem?.detail.contains(detail) == true, "\(item.problem?.description ?? "")")
    }

    @Test(arguments: [
        ("kill -SEGV $$", "stopped before answering"),
        ("exec sleep 30", "killed after"),
        ("echo not-a-reply-from-a-pdf-reader; exec sleep 30", "malformed"),
        ("exec python3 -c 'x = bytearray(400 << 20); print(len(x))'", "stopped before answering"),
    ])
    func misbehavingReaderIsContained(script: String, detail: String) throws {
        let item = try #require(try self.fakeExtractor(script, reader: true))
        #expect(!item.scanned)
        #expect(item.problem?.kind == .extractorFailed)
        #expect(item.problem?.detail.contains(detail) == true, "\(item.problem?.description ?? "")")
        // The real reader still answers afterwards.
        let pdf = try OfficeFixtures.flatePDF("AFTER-A-BAD-READER")
        let next = Extractor().extract(
            Attachment(name: "a.pdf", declaredType: nil, path: "1", bytes: pdf))
        #expect(next.items.first?.text.contains("AFTER-A-BAD-READER") == true)
    }

    @Test(arguments: ["/nonexistent/sluice-pdf", "exit 127"])
    func readerThatCannotStartFallsBackToPdftotext(reader: String) throws {
        let directory = FileManager.default.temporaryDirectory
            .appendingPathComponent("sluice-fake-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: directory) }
        var path = reader
        if !reader.hasPrefix("/") {
            // Like a reader whose shared libraries are missing: it dies before greeting.
            path = directory.appendingPathComponent("sluice-pdf").path
            try Self.writeScript("#!/bin/sh\n\(reader)\n", to: path)
        }
        let pdf = try OfficeFixtures.flatePDF("FALLBACK-TEXT")
        let item = Extractor(tools: ExternalTools(pdfReader: path)).extract(
            Attachment(name: "a.pdf", declaredType: nil, path: "1", bytes: pdf)
        ).items.first
        #expect(item?.text.contains("FALLBACK-TEXT") == true)
        #expect(item?.scanned == true)
    }

    @Test func missingExtractorIsReported() throws {
        let tools = ExternalTools(pdfReader: nil, pdftotext: "/nonexistent/pdftotext")
        let pdf = try OfficeFixtures.flatePDF("x")
        let item = Extractor(tools: tools).extract(
            Attachment(name: "a.pdf", declaredType: nil, path: "1", bytes: pdf)
        ).items.first
        #expect(item?.problem?.kind == .extractorUnavailable)
    }

    /// An OLE compound file whose directory lists `streams`.
    private func oleFile(_ streams: [String]) throws -> [UInt8] {
        let names = streams.map { OfficeFixtures.pythonString($0) }.joined(separator: ", ")
        return try FixtureMaker.python(
            """
            import struct
            header = bytearray(512)
            header[0:8] = bytes.fromhex('d0cf11e0a1b11ae1')
            struct.pack_into('<HHH', header, 24, 0x3e, 3, 0xfffe)
            struct.pack_into('<H', header, 30, 9)
            directory = bytearray()
            for index, name in enumerate(['Root Entry', \(names)]):
                entry = bytearray(128)
                encoded = name.encode('utf-16-le') + b'\\0\\0'
                entry[0:len(encoded)] = encoded
                struct.pack_into('<HB', entry, 64, len(encoded), 5 if index == 0 else 2)
                directory += entry
            open('out', 'wb').write(bytes(header) + bytes(directory) + bytes(4096))
            """)
    }

    @Test func passwordProtectedOOXMLIsEncrypted() throws {
        let bytes = try self.oleFile(["EncryptionInfo", "EncryptedPackage", "\u{6}DataSpaces"])
        let item = try #require(
            Extractor().extract(
                Attachment(name: "budget.xlsx", declaredType: nil, path: "1", bytes: bytes)
            ).items.first)
        #expect(item.encrypted && !item.scanned)
        #expect(item.groups.isSuperset(of: [.encrypted, .office]), "groups \(item.groups)")
        #expect(!item.typeMismatch)
    }

    @Test func legacyWordWithMacrosGoesToCatdoc() throws {
        let bytes = try self.oleFile(["WordDocument", "Macros", "_VBA_PROJECT"])
        let item = try #require(
            Extractor().extract(
                Attachment(name: "old.doc", declaredType: nil, path: "1", bytes: bytes)
            ).items.first)
        #expect(item.groups.contains(.officeMacro))
        #expect(item.problem == nil || item.problem?.detail.contains("catdoc") == true)
    }

    @Test func legacyExcelGoesThroughXls2csv() throws {
        let xls = try LegacyOfficeFixtures.excelWorkbook()
        let item = try #require(
            Extractor().extract(
                Attachment(name: "客户.xls", declaredType: nil, path: "1", bytes: xls)
            ).items.first)
        #expect(item.detectedType == "application/vnd.ms-excel")
        #expect(item.groups == [.office])
        #expect(
            item.text.contains("XLS-SECRET") && item.text.contains("客户名单"), "\(item.text)")
        #expect(item.scanned && !item.typeMismatch)
    }
}
