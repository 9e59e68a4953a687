// True type, groups, type mismatch and file-name tricks of single attachments, and text in any
// charset decided without libmagic.

import Testing

@testable import SluiceExtract

@Suite struct TypeDetectionTests {
    let extractor = Extractor()

    @Test func peExecutableNamedInvoicePDFIsAnExecutable() throws {
        let item = try #require(
            self.extractor.extract(
                Attachment(
                    name: "invoice.pdf", declaredType: "application/pdf", path: "2",
                    bytes: try FixtureMaker.portableExecutable())
            ).items.first)
        #expect(item.detectedType == "application/vnd.microsoft.portable-executable")
        #expect(item.typeDescription.hasPrefix("PE32 executable"))
        #expect(item.groups.contains(.executable), "groups \(item.groups)")
        #expect(!item.groups.contains(.pdf) || item.typeMismatch)
        #expect(item.typeMismatch)
        #expect(item.fileExtension == "pdf")
    }

    @Test func executableNameGivesTheExecutableGroup() throws {
        let item = try #require(
            self.extractor.extract(
                Attachment(
                    name: "年度报告.exe", declaredType: "application/octet-stream", path: "3",
                    bytes: try FixtureMaker.portableExecutable())
            ).items.first)
        #expect(item.name == "年度报告.exe")
        #expect(item.groups.contains(.executable))
        #expect(!item.typeMismatch)
    }

    @Test func docxIsOfficeAndNotExecutable() throws {
        let docx = try OfficeFixtures.docx(body: "<w:p><w:r><w:t>hello</w:t></w:r></w:p>")
        let item = try #require(
            self.extractor.extract(
                Attachment(name: "a.docx", declaredType: nil, path: "1", bytes: docx)
            ).items.first)
        #expect(item.groups == [.office], "groups \(item.groups)")
        #expect(item.detectedType.contains("wordprocessingml"))
        #expect(!item.typeMismatch)
    }

    @Test func vbaProjectMakesAnOfficeMacroDocument() throws {
        let docm = try OfficeFixtures.docx(
            body: "<w:p><w:r><w:t>macro</w:t></w:r></w:p>",
            extra: [("word/vbaProject.bin", "not really OLE")])
        let result = self.extractor.extract(
            Attachment(name: "a.docx", declaredType: nil, path: "1", bytes: docm))
        let item = try #require(result.items.first)
        #expect(item.groups.isSuperset(of: [.office, .officeMacro]), "groups \(item.groups)")
        #expect(item.detectedType == "application/vnd.ms-word.document.macroenabled.12")
        #expect(result.items.contains { $0.path == "1/word/vbaProject.bin" })
    }

    @Test(arguments: [
        ("report.docm", TypeGroup.officeMacro), ("tool.scr", .executable), ("run.ps1", .script),
        ("x.lnk", .executable), ("app.jar", .executable), ("disk.iso", .diskImage),
        ("photo.jpeg", .image), ("backup.7z", .archive), ("secret.gpg", .encrypted),
    ])
    func extensionGroups(name: String, group: TypeGroup) {
        let item = self.extractor.extract(
            Attachment(name: name, declaredType: nil, path: "1", bytes: [0x00, 0x01, 0x02, 0x03])
        ).items.first
        #expect(item?.groups.contains(group) == true, "\(name): groups \(item?.groups ?? [])")
    }

    @Test(arguments: [
        ("report.pdf.exe", FileNameTricks.doubleExtension),
        ("report.pdf           .exe", .doubleExtension),
        ("invoice.exe.", .trailingDotsOrSpaces),
        ("invoice.exe  ", .trailingDotsOrSpaces),
        ("photo\u{202E}gpj.exe", .bidiControl),
        (String(repeating: "a", count: 150) + ".txt", .veryLongName),
        ("notes.txt", FileNameTricks()),
        ("archive.tar.gz", FileNameTricks()),
        ("version.1.2.exe", FileNameTricks()),
    ])
    func fileNameTricks(name: String, expected: FileNameTricks) {
        let tricks = FileNameTricks.analyse(name)
        #expect(tricks == expected, "\(name): got \(tricks.names), want \(expected.names)")
    }

    @Test func trailingDotDoesNotHideTheExtension() {
        let item = self.extractor.extract(
            Attachment(name: "payload.exe. . ", declaredType: nil, path: "1", bytes: [0, 1, 2])
        ).items.first
        #expect(item?.fileExtension == "exe")
        #expect(item?.groups.contains(.executable) == true)
    }

    @Test(arguments: [
        ("plain ascii text\n", "text/plain"),
        ("中文内容，机密", "text/plain"),
        ("{\\rtf1\\ansi hello}", "text/rtf"),
        ("#!/bin/sh\necho hi\n", "text/x-shellscript"),
        ("<?xml version=\"1.0\"?><a/>", "text/xml"),
    ])
    func plainTextIsDecidedWithoutLibmagic(text: String, type: String) {
        let bytes = Array(text.utf8)
        let sniffed = bytes.withUnsafeBytes { TextSniffer.plainTextType($0) }
        #expect(sniffed == type, "\(text): got \(sniffed ?? "nil"), want \(type)")
    }

    @Test func binaryIsLeftToLibmagic() throws {
        let bytes = try FixtureMaker.portableExecutable()
        #expect(bytes.withUnsafeBytes { TextSniffer.plainTextType($0) } == nil)
    }

    @Test(arguments: [
        ([0xBB, 0xFA, 0xC3, 0xDC] as [UInt8], nil as String?, "机密"),
        ([0xFF, 0xFE, 0x3A, 0x67, 0xC6, 0x5B], nil, "机密"),
        ([0xE6, 0x9C, 0xBA, 0xE5, 0xAF, 0x86], nil, "机密"),
        ([0x63, 0x61, 0x66, 0xE9], "text/plain; charset=iso-8859-1", "café"),
    ])
    func textInAnyCharsetBecomesUTF8(bytes: [UInt8], declared: String?, expected: String) {
        let item = self.extractor.extract(
            Attachment(name: "a.txt", declaredType: declared, path: "1", bytes: bytes)
        ).items.first
        #expect(item?.text == expected, "got \(item?.text ?? "nil")")
    }
}
