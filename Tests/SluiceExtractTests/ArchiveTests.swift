// Archives of every common format opened to any depth, member names in UTF-8 and GBK, and
// password-protected archives reported as encrypted and not scanned.

import Testing

@testable import SluiceExtract

@Suite struct ArchiveTests {
    let extractor = Extractor()

    @Test func keywordInATextFileInsideAZipInsideAZip() throws {
        let inner = try FixtureMaker.python(
            OfficeFixtures.zipScript([("notes/合同.txt", "合同编号 CONFIDENTIAL-7731")]))
        let outer = try FixtureMaker.shell(
            files: ["inner.zip": inner], "zip -q -r out inner.zip && mv out.zip out", output: "out")
        let result = self.extractor.extract(
            Attachment(name: "资料.zip", declaredType: "application/zip", path: "1.3", bytes: outer))
        let paths = result.items.map(\.path)
        #expect(paths == ["1.3", "1.3/inner.zip", "1.3/inner.zip/notes/合同.txt"], "\(paths)")
        let leaf = try #require(result.items.last)
        #expect(leaf.text.contains("CONFIDENTIAL-7731"))
        #expect(leaf.name == "合同.txt")
        #expect(leaf.depth == 2)
        #expect(result.items.allSatisfy { $0.scanned })
        #expect(!result.incomplete)
    }

    @Test func csvInsideATarGz() throws {
        let tarball = try FixtureMaker.shell(
            files: ["data/customers.csv": Array("id,name\n1,SECRET-ROW\n".utf8)],
            "tar -czf out data", output: "out")
        let result = self.extractor.extract(
            Attachment(name: "export.tar.gz", declaredType: nil, path: "2", bytes: tarball))
        let csv = try #require(result.item(at: "2/data/customers.csv"))
        #expect(csv.text.contains("SECRET-ROW"))
        #expect(result.items.first?.groups.contains(.archive) == true)
    }

    @Test(arguments: [
        ("tar -cf out data", "a.tar"), ("tar -cjf out data", "a.tar.bz2"),
        ("tar -cJf out data", "a.tar.xz"), ("tar --zstd -cf out data", "a.tar.zst"),
        ("7z a -bd -y out.7z data >/dev/null && mv out.7z out", "a.7z"),
        ("find data | cpio -o --quiet > out", "a.cpio"),
    ])
    func formatsReachTheirMembers(command: String, name: String) throws {
        let bytes = try FixtureMaker.shell(
            files: ["data/机密.txt": Array("FORMAT-KEYWORD".utf8)], command, output: "out")
        let result = self.extractor.extract(
            Attachment(name: name, declaredType: nil, path: "1", bytes: bytes))
        let member = result.items.first { $0.path.hasSuffix("data/机密.txt") }
        #expect(member?.text == "FORMAT-KEYWORD", "\(name): \(result.items.map(\.path))")
    }

    @Test(arguments: [
        ("gzip -c data.csv > out", "data.csv.gz"), ("xz -c data.csv > out", "d.csv.xz"),
    ])
    func singleCompressedStreamIsNamedAfterTheFile(command: String, name: String) throws {
        let bytes = try FixtureMaker.shell(
            files: ["data.csv": Array("a,b\nSTREAM-KEY,2\n".utf8)], command, output: "out")
        let result = self.extractor.extract(
            Attachment(name: name, declaredType: nil, path: "1", bytes: bytes))
        #expect(result.items.count == 2)
        #expect(result.items.last?.text.contains("STREAM-KEY") == true)
        #expect(result.items.last?.path == "1/" + String(name.dropLast(3)))
    }

    @Test func zipNamesWithoutTheUTF8FlagAreReadAsGBK() throws {
        let bytes = try FixtureMaker.python(
            """
            import zipfile
            class GBKInfo(zipfile.ZipInfo):
                def _encodeFilenameFlags(self):
                    return self.filename.encode('gbk'), self.flag_bits
            z = zipfile.ZipFile('out', 'w')
            z.writestr(GBKInfo('资料/合同.txt'), 'x')
            z.writestr('résumé.txt', 'y')
            z.writestr('plain.txt', 'z')
            z.close()
            """)
        let result = self.extractor.extract(
            Attachment(name: "a.zip", declaredType: nil, path: "1", bytes: bytes))
        #expect(
            result.items.map(\.path) == ["1", "1/资料/合同.txt", "1/résumé.txt", "1/plain.txt"],
            "\(result.items.map(\.path))")
    }

    @Test func passwordZipIsEncryptedAndNotScanned() throws {
        let bytes = try FixtureMaker.shell(
            files: ["secret.txt": Array("hidden".utf8)],
            "zip -q -P sesame out secret.txt && mv out.zip out", output: "out")
        let result = self.extractor.extract(
            Attachment(name: "locked.zip", declaredType: nil, path: "1", bytes: bytes))
        let archive = try #require(result.items.first)
        #expect(archive.encrypted)
        #expect(!archive.scanned)
        #expect(archive.groups.contains(.encrypted))
        #expect(archive.problem?.kind == .encrypted)
        let member = try #require(result.item(at: "1/secret.txt"))
        #expect(member.encrypted && !member.scanned && member.text.isEmpty)
    }

    @Test(arguments: ["-mhe=on", "-mhe=off"])
    func encrypted7zIsEncryptedAndNotScanned(headers: String) throws {
        let bytes = try FixtureMaker.shell(
            files: ["secret.txt": Array("hidden".utf8)],
            "7z a -bd -y -psesame \(headers) out.7z secret.txt >/dev/null && mv out.7z out",
            output: "out")
        let result = self.extractor.extract(
            Attachment(name: "locked.7z", declaredType: nil, path: "1", bytes: bytes))
        let archive = try #require(result.items.first)
        #expect(archive.encrypted, "problem: \(archive.problem?.description ?? "none")")
        #expect(!archive.scanned)
        #expect(!result.items.contains { $0.text.contains("hidden") })
    }

    @Test func damagedArchiveIsFlaggedNotFatal() throws {
        var bytes = try FixtureMaker.python(OfficeFixtures.zipScript([("a.txt", "x")]))
        bytes.removeLast(30)
        let result = self.extractor.extract(
            Attachment(name: "a.zip", declaredType: nil, path: "1", bytes: bytes))
        #expect(result.items.count >= 1)
    }

    @Test(arguments: [
        ("zstd -q -c data.csv > out", "data.csv.zst"), ("lz4 -q -c data.csv > out", "data.csv.lz4"),
        ("bzip2 -c data.csv > out", "data.csv.bz2"),
    ])
    func singleStreams(command: String, name: String) throws {
        let bytes = try FixtureMaker.shell(
            files: ["data.csv": Array("a,b\nSTREAM-KEY,2\n".utf8)], command, output: "out")
        let result = self.extractor.extract(
            Attachment(name: name, declaredType: nil, path: "1", bytes: bytes))
        #expect(result.items.map(\.path) == ["1", "1/data.csv"], "\(result.items.map(\.path))")
        #expect(result.items.last?.text.contains("STREAM-KEY") == true)
    }

    @Test func iso9660ImageIsReadAsADiskImage() throws {
        let result = self.extractor.extract(
            Attachment(
                name: "backup.iso", declaredType: nil, path: "1", bytes: try ISOFixture.image()))
        let image = try #require(result.items.first)
        #expect(image.groups == [.diskImage, .archive], "groups \(image.groups)")
        #expect(result.item(at: "1/NOTES.TXT")?.text == "ISO-MEMBER-KEY\n", "\(result.items)")
    }

    @Test func compressedFileStartingWithZeroBlocksIsNotAnEmptyTar() throws {
        let bytes = try FixtureMaker.shell(
            files: [:],
            "head -c 4096 /dev/zero > disk.img && echo ZERO-LEAD >> disk.img"
                + " && gzip -c disk.img > out", output: "out")
        let result = self.extractor.extract(
            Attachment(name: "disk.img.gz", declaredType: nil, path: "1", bytes: bytes))
        #expect(result.item(at: "1/disk.img")?.size == 4096 + 10, "\(result.items.map(\.path))")
    }

    @Test func arArchive() throws {
        let bytes = try FixtureMaker.shell(
            files: ["notes.txt": Array("AR-KEY".utf8)], "ar rc out notes.txt", output: "out")
        let result = self.extractor.extract(
            Attachment(name: "a.a", declaredType: nil, path: "1", bytes: bytes))
        #expect(result.item(at: "1/notes.txt")?.text == "AR-KEY", "\(result.items.map(\.path))")
    }

    @Test func declaredTypeContradictedByContentIsAMismatch() throws {
        let zip = try FixtureMaker.python(OfficeFixtures.zipScript([("a.txt", "x")]))
        let item = self.extractor.extract(
            Attachment(name: nil, declaredType: "image/png", path: "1", bytes: zip)
        ).items.first
        #expect(item?.typeMismatch == true)
        #expect(item?.groups.contains(.archive) == true)
    }

    @Test func executableInsideAZipIsFound() throws {
        let pe = try FixtureMaker.portableExecutable()
        let zip = try FixtureMaker.shell(
            files: ["scan.jpg": pe], "zip -q out scan.jpg && mv out.zip out", output: "out")
        let member = self.extractor.extract(
            Attachment(name: "photos.zip", declaredType: nil, path: "2", bytes: zip)
        ).item(at: "2/scan.jpg")
        #expect(member?.groups.contains(.executable) == true)
        #expect(member?.typeMismatch == true)
    }

    @Test func zipAppendedToAnImageIsOpened() throws {
        let bytes = try FixtureMaker.shell(
            files: ["secret.txt": Array("APPENDED-KEY".utf8)],
            "printf '\\211PNG\\r\\n\\032\\n\\0\\0\\0\\rIHDR' > out"
                + " && head -c 2000 /dev/urandom >> out"
                + " && zip -q z.zip secret.txt && cat z.zip >> out",
            output: "out")
        let result = self.extractor.extract(
            Attachment(name: "photo.png", declaredType: "image/png", path: "1", bytes: bytes))
        let image = try #require(result.items.first)
        #expect(image.groups.isSuperset(of: [.image, .archive]), "groups \(image.groups)")
        #expect(result.item(at: "1/secret.txt")?.text == "APPENDED-KEY", "\(result.items)")
    }

    @Test func pdfHeaderAfterLeadingJunkIsStillAPDF() throws {
        let pdf = try OfficeFixtures.flatePDF("LATE-HEADER-KEY")
        let item = self.extractor.extract(
            Attachment(
                name: "a.pdf", declaredType: nil, path: "1",
                bytes: Array("junk line\n".utf8) + pdf)
        ).items.first
        #expect(item?.detectedType == "application/pdf")
        #expect(item?.text.contains("LATE-HEADER-KEY") == true, "\(item?.text ?? "")")
    }
}
