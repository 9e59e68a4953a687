// Truncated and randomly damaged input must never trap: every parser that reads attacker bytes
// in process (XML, RTF, zip central directory, OLE directory and OLE 1.0 objects, the whole
// extractor on archives) is run over deterministic mutations of valid samples.

import Testing

@testable import SluiceExtract

@Suite struct DamagedInputTests {
    static let xml = Array(
        """
        <w:document><w:body><w:p><w:r><w:t xml:space="preserve">机密 &amp; &#x4E2D; &bad;</w:t>\
        </w:r><![CDATA[raw <text>]]><!-- note --><w:tab/></w:p><c t="s"><v>1</v></c>\
        <sheet name="a&quot;b"/></w:body></w:document>
        """.utf8)

    static let rtf = Array(
        (#"{\rtf1\ansi\ansicpg936{\fonttbl{\f0\fcharset134 SimSun;}}\f0\uc2\u26426\'bb\'fa"#
            + #"{\*\objdata 01050000020000000800000050616b6167650000}\bin4 abcd\par}"#).utf8)

    @Test func truncatedAndDamagedXML() {
        let extractor = XMLTextExtractor(
            textElements: ["t", "v"], paragraphElements: ["p"], tabElements: ["tab"],
            attributeText: ["sheet": "name"], hiddenWhen: ("c", "t", "s"))
        var random = SplitMix(state: 1)
        for length in 0...Self.xml.count {
            var output: [UInt8] = []
            extractor.extract(Array(Self.xml.prefix(length)), into: &output)
        }
        for _ in 0..<2_000 {
            var output: [UInt8] = []
            extractor.extract(random.mutate(Self.xml), into: &output)
        }
    }

    @Test func truncatedAndDamagedRTF() {
        var random = SplitMix(state: 2)
        for length in 0...Self.rtf.count {
            _ = RTFText.extract(Array(Self.rtf.prefix(length)))
        }
        for _ in 0..<2_000 {
            let content = RTFText.extract(random.mutate(Self.rtf))
            for object in content.objects { _ = OLE1Object(object, codePage: 936) }
        }
    }

    @Test func randomOLEDirectoriesAndObjects() {
        var random = SplitMix(state: 3)
        for _ in 0..<500 {
            let bytes = (0..<random.below(2_048)).map { _ in
                UInt8(truncatingIfNeeded: random.next())
            }
            _ = OLEContainer.streamNames(bytes)
            _ = OLE1Object(bytes, codePage: 1252)
        }
    }

    @Test func damagedArchivesThroughTheWholeExtractor() throws {
        let zip = try FixtureMaker.python(
            OfficeFixtures.zipScript([("a/机密.txt", "KEY"), ("b.xml", "<a>x</a>")]))
        let docx = try OfficeFixtures.docx(body: "<w:p><w:r><w:t>x</w:t></w:r></w:p>")
        let tarball = try FixtureMaker.shell(
            files: ["d/x.csv": Array("1,2\n".utf8)], "tar -czf out d", output: "out")
        let extractor = Extractor(
            limits: ExtractionLimits(maxTotalBytes: 1 << 20, maxFileBytes: 256 << 10))
        var random = SplitMix(state: 4)
        for sample in [zip, docx, tarball] {
            for _ in 0..<150 {
                let damaged = random.mutate(sample)
                damaged.withUnsafeBytes { raw in
                    _ = ZipCentralDirectory(raw).map { $0.hasOverlappingEntries(raw) }
                }
                let result = extractor.extract(
                    Attachment(name: "x.zip", declaredType: nil, path: "1", bytes: damaged))
                #expect(!result.items.isEmpty)
            }
        }
    }
}
