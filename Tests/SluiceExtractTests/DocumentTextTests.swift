// The text a reader sees in Office Open XML, OpenDocument and RTF documents, including text split
// across runs, spreadsheet cells, slide notes and files embedded in a document.

import Testing

@testable import SluiceExtract

@Suite struct DocumentTextTests {
    let extractor = Extractor()

    private func text(of bytes: [UInt8], name: String) -> String {
        self.extractor.extract(Attachment(name: name, declaredType: nil, path: "1", bytes: bytes))
            .items.first?.text ?? ""
    }

    @Test func docxJoinsRunsAndReadsHeadersFootnotesAndComments() throws {
        let docx = try OfficeFixtures.docx(
            body: """
                <w:p><w:r><w:rPr><w:b/></w:rPr><w:t>机</w:t></w:r><w:proofErr/>\
                <w:r><w:t>密</w:t></w:r>\
                <w:r><w:tab/><w:t xml:space="preserve">A &amp; B</w:t></w:r></w:p>\
                <w:p><w:r><w:instrText>HYPERLINK</w:instrText><w:t>second</w:t></w:r></w:p>
                """,
            extra: [
                ("word/header1.xml", "<w:hdr><w:p><w:r><w:t>HEADER-TEXT</w:t></w:r></w:p></w:hdr>"),
                (
                    "word/footnotes.xml",
                    "<w:footnotes><w:p><w:r><w:t>FOOTNOTE</w:t></w:r></w:p></w:footnotes>"
                ),
                (
                    "word/comments.xml",
                    "<w:comments><w:p><w:r><w:t>REVIEWER</w:t></w:r></w:p></w:comments>"
                ),
                ("word/styles.xml", "<w:styles><w:t>STYLE-NOISE</w:t></w:styles>"),
            ])
        let text = self.text(of: docx, name: "contract.docx")
        #expect(text.contains("机密\tA & B\nsecond"), "got \(text)")
        for expected in ["HEADER-TEXT", "FOOTNOTE", "REVIEWER"] {
            #expect(text.contains(expected), "missing \(expected) in \(text)")
        }
        #expect(!text.contains("HYPERLINK") && !text.contains("STYLE-NOISE"))
    }

    @Test func xlsxReadsSharedStringsCellsSheetNamesAndComments() throws {
        let xlsx = try FixtureMaker.python(
            OfficeFixtures.zipScript([
                ("[Content_Types].xml", OfficeFixtures.contentTypes("spreadsheetml.sheet.main")),
                (
                    "xl/workbook.xml",
                    #"<workbook><sheets><sheet name="客户名单" sheetId="1"/></sheets></workbook>"#
                ),
                (
                    "xl/sharedStrings.xml",
                    "<sst><si><t>身份证号</t></si><si><r><t>SHARED-</t></r><r><t>KEY</t></r></si></sst>"
                ),
                (
                    "xl/worksheets/sheet1.xml",
                    #"<worksheet><sheetData><row><c r="A1" t="s"><v>0</v></c>"#
                        + #"<c r="B1"><v>110101199003074578</v></c>"#
                        + #"<c r="C1" t="inlineStr"><is><t>INLINE-CELL</t></is></c>"#
                        + "</row></sheetData></worksheet>"
                ),
                (
                    "xl/comments1.xml",
                    "<comments><commentList><comment><text><r><t>NOTE-X</t></r></text></comment>"
                        + "</commentList></comments>"
                ),
            ]))
        let text = self.text(of: xlsx, name: "list.xlsx")
        for expected in [
            "客户名单", "身份证号", "SHARED-KEY", "110101199003074578", "INLINE-CELL", "NOTE-X",
        ] {
            #expect(text.contains(expected), "missing \(expected) in \(text)")
        }
        #expect(!text.contains("\t0\t"), "a shared-string index leaked: \(text)")
    }

    @Test func pptxReadsSlidesAndNotes() throws {
        let pptx = try FixtureMaker.python(
            OfficeFixtures.zipScript([
                (
                    "[Content_Types].xml",
                    OfficeFixtures.contentTypes("presentationml.presentation.main")
                ),
                ("ppt/presentation.xml", "<p:presentation/>"),
                (
                    "ppt/slides/slide1.xml",
                    "<p:sld><a:p><a:r><a:t>SLIDE-</a:t></a:r><a:r><a:t>ONE</a:t></a:r></a:p>"
                        + "</p:sld>"
                ),
                (
                    "ppt/notesSlides/notesSlide1.xml",
                    "<p:notes><a:p><a:r><a:t>SPEAKER-NOTE</a:t></a:r></a:p></p:notes>"
                ),
            ]))
        let text = self.text(of: pptx, name: "deck.pptx")
        #expect(text.contains("SLIDE-ONE") && text.contains("SPEAKER-NOTE"), "got \(text)")
    }

    @Test(arguments: ["text", "spreadsheet"])
    func openDocumentText(kind: String) throws {
        let odf = try FixtureMaker.python(
            """
            import zipfile
            z = zipfile.ZipFile('out', 'w', zipfile.ZIP_DEFLATED)
            z.writestr(zipfile.ZipInfo('mimetype'), 'application/vnd.oasis.opendocument.\(kind)')
            z.writestr('META-INF/manifest.xml', '<manifest/>')
            z.writestr('content.xml', '<office:document-content><office:body><text:p>第一'
              '<text:span>机</text:span>密<text:s/>ODF-KEY</text:p><table:table-cell><text:p>CELL'
              '</text:p></table:table-cell></office:body></office:document-content>')
            z.writestr('styles.xml', '<office:styles><style:footer><text:p>FOOTER-ODF</text:p>'
              '</style:footer></office:styles>')
            z.close()
            """)
        let result = self.extractor.extract(
            Attachment(name: "a.od\(kind.prefix(1))", declaredType: nil, path: "1", bytes: odf))
        let item = try #require(result.items.first)
        #expect(item.text.contains("第一机密 ODF-KEY"), "got \(item.text)")
        #expect(item.text.contains("CELL") && item.text.contains("FOOTER-ODF"))
        #expect(item.groups.contains(.office))
    }

    @Test func embeddedFilesAreScannedAsMembers() throws {
        let inner = try FixtureMaker.python(
            OfficeFixtures.zipScript([("plan.txt", "EMBEDDED-KEY")]))
        let docx = try FixtureMaker.python(
            """
            import zipfile
            z = zipfile.ZipFile('out', 'w')
            z.writestr('[Content_Types].xml', '<Types/>')
            z.writestr('word/document.xml',
              '<w:document><w:p><w:r><w:t>body</w:t></w:r></w:p></w:document>')
            z.writestr('word/embeddings/package.zip', bytes(\(inner)))
            z.close()
            """)
        let result = self.extractor.extract(
            Attachment(name: "a.docx", declaredType: nil, path: "4", bytes: docx))
        let member = try #require(result.item(at: "4/word/embeddings/package.zip/plan.txt"))
        #expect(member.text == "EMBEDDED-KEY")
    }

    @Test(arguments: [
        (
            #"{\rtf1\ansi\ansicpg936{\fonttbl{\f0 SimSun;}}\f0 \'bb\'fa\'c3\'dc RTF-KEY\par next}"#,
            "机密 RTF-KEY\nnext"
        ),
        (#"{\rtf1\ansi\uc1 \u26426?\u23494?\tab done}"#, "机密\tdone"),
        (
            #"{\rtf1\ansi{\fonttbl{\f1\fcharset134 SimSun;}}{\*\generator x;}"#
                + #"\f1\'bb\'fa\f0 A\'e9}"#,
            "机Aé"
        ),
        (
            #"{\rtf1{\pict 0123abcd}{\*\objdata 414243}"#
                + #"{\field{\*\fldinst HYPERLINK}{\fldrslt shown}}}"#,
            "shown"
        ),
    ])
    func rtfText(source: String, expected: String) {
        let text = RTFText.extract(Array(source.utf8)).text
        #expect(text == expected, "got \(text.debugDescription), want \(expected.debugDescription)")
    }

    @Test func rtfAttachmentGoesThroughTheRTFReader() {
        let rtf = Array(#"{\rtf1\ansi\ansicpg936 \'bb\'fa\'c3\'dc}"#.utf8)
        let item = self.extractor.extract(
            Attachment(name: "memo.rtf", declaredType: "application/rtf", path: "1", bytes: rtf)
        ).items.first
        #expect(item?.text == "机密")
        #expect(item?.groups.contains(.office) == true)
        #expect(item?.typeMismatch == false)
    }

    @Test func filesHiddenInAPackageAreScannedAsItems() throws {
        let docx = try OfficeFixtures.docx(
            body: "<w:p><w:r><w:t>cover</w:t></w:r></w:p>",
            extra: [
                ("secret.txt", "HIDDEN-IN-PACKAGE"),
                ("word/media/image1.png", "not a png but HIDDEN-MEDIA"),
                ("word/theme/theme1.xml", "<a:theme><a:t>THEME-NOISE</a:t></a:theme>"),
                (
                    "word/diagrams/data1.xml",
                    "<dgm:dataModel><a:t>SMARTART-KEY</a:t></dgm:dataModel>"
                ),
                ("word/charts/chart1.xml", "<c:chartSpace><c:v>CHART-LABEL</c:v></c:chartSpace>"),
                (
                    "docProps/core.xml",
                    "<cp:coreProperties><dc:title>TITLE-KEY</dc:title>"
                        + "<dc:creator>someone</dc:creator></cp:coreProperties>"
                ),
            ])
        let result = self.extractor.extract(
            Attachment(name: "a.docx", declaredType: nil, path: "1", bytes: docx))
        #expect(result.item(at: "1/secret.txt")?.text == "HIDDEN-IN-PACKAGE")
        #expect(result.item(at: "1/word/media/image1.png")?.text.contains("HIDDEN-MEDIA") == true)
        #expect(result.item(at: "1/word/media/image1.png")?.typeMismatch == true)
        let document = try #require(result.items.first)
        #expect(document.text.contains("TITLE-KEY") && !document.text.contains("someone"))
        #expect(document.text.contains("SMARTART-KEY") && document.text.contains("CHART-LABEL"))
        #expect(!result.items.contains { $0.text.contains("THEME-NOISE") })
    }

    @Test func fileEmbeddedInAnRTFIsScannedAsAMember() throws {
        let rtf = try FixtureMaker.python(
            #"""
            import struct
            def cstr(raw): return raw + b'\0'
            def lstr(raw): return struct.pack('<I', len(raw) + 1) + cstr(raw)
            payload = b'account,holder\n6222000011112222,RTF-EMBEDDED-KEY\n'
            package = (struct.pack('<H', 2) + cstr('客户.csv'.encode('gbk'))
                       + cstr(b'C:\\tmp\\a.csv') + struct.pack('<II', 0, 3) + cstr(b'C:\\t.csv')
                       + struct.pack('<I', len(payload)) + payload)
            ole = (struct.pack('<II', 0x0501, 2) + lstr(b'Package') + lstr(b'') + lstr(b'')
                   + struct.pack('<I', len(package)) + package)
            hexed = ole.hex()
            body = ('{\\rtf1\\ansi\\ansicpg936 visible {\\object\\objemb{\\*\\objclass Package}'
                    '{\\*\\objdata\n' + '\n'.join(hexed[i:i + 64] for i in range(0, len(hexed), 64))
                    + '}}}')
            open('out', 'w').write(body)
            """#)
        let result = self.extractor.extract(
            Attachment(name: "memo.rtf", declaredType: nil, path: "3", bytes: rtf))
        #expect(result.items.first?.text == "visible ", "\(result.items.first?.text ?? "")")
        let member = try #require(result.item(at: "3/客户.csv"), "\(result.items.map(\.path))")
        #expect(member.text.contains("RTF-EMBEDDED-KEY"))
    }
}
