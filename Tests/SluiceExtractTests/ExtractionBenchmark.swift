// A throughput figure run by hand, not a timed assertion: MB/s of attachment bytes extracted on
// one core for a zip of text files, a docx and a PDF. Enabled by SLUICE_EXTRACT_BENCHMARK=1:
//   swift test -c release -Xswiftc -enable-testing --filter ExtractionBenchmark

import Foundation
import Glibc
import Testing

@testable import SluiceExtract

@Suite(.enabled(if: ProcessInfo.processInfo.environment["SLUICE_EXTRACT_BENCHMARK"] != nil))
struct ExtractionBenchmark {
    /// CPU seconds used so far by this process and its reaped children (the PDF extractor).
    private func cpuSeconds() -> Double {
        var own = rusage()
        var children = rusage()
        getrusage(RUSAGE_SELF.rawValue, &own)
        getrusage(RUSAGE_CHILDREN.rawValue, &children)
        return [own.ru_utime, own.ru_stime, children.ru_utime, children.ru_stime]
            .map { Double($0.tv_sec) + Double($0.tv_usec) / 1e6 }.reduce(0, +)
    }

    /// MB/s per core: attachment bytes over the CPU time spent, so other load does not skew it.
    private func measure(_ label: String, _ bytes: [UInt8], name: String) {
        let extractor = Extractor()
        let attachment = Attachment(name: name, declaredType: nil, path: "1", bytes: bytes)
        _ = extractor.extract(attachment)
        let rounds = max(3, (16 << 20) / max(bytes.count, 1))
        let started = self.cpuSeconds()
        var textBytes = 0
        for _ in 0..<rounds {
            textBytes += extractor.extract(attachment).items.map(\.text.utf8.count).reduce(0, +)
        }
        let seconds = self.cpuSeconds() - started
        let megabytes = Double(bytes.count * rounds) / 1_048_576
        let textMegabytes = Double(textBytes) / 1_048_576
        print(
            "benchmark \(label): \(bytes.count) bytes, "
                + "\(Int(seconds * 1000) / rounds) ms CPU per file, "
                + "\(Int(megabytes / seconds)) MB/s of attachments per core, "
                + "\(Int(textMegabytes / seconds)) MB/s of text out")
    }

    private func measureXML(_ xml: [UInt8]) {
        let extractor = XMLTextExtractor(
            textElements: ["t"], paragraphElements: ["p"], tabElements: ["tab"])
        let clock = ContinuousClock()
        let started = clock.now
        var output: [UInt8] = []
        for _ in 0..<20 {
            output.removeAll(keepingCapacity: true)
            extractor.extract(xml, into: &output)
        }
        let elapsed = clock.now - started
        print("benchmark word XML alone: \(xml.count) bytes in \(elapsed / 20) per pass")
    }

    @Test func throughput() throws {
        let zip = try FixtureMaker.python(
            """
            import random, zipfile
            random.seed(1)
            words = ['合同', '客户', 'invoice', 'total', '身份证', 'account', 'meeting', 'report']
            with zipfile.ZipFile('out', 'w', zipfile.ZIP_DEFLATED) as z:
                for i in range(200):
                    text = ' '.join(random.choice(words) for _ in range(20000))
                    z.writestr('dir/file%03d.txt' % i, text)
            """)
        self.measure("zip", zip, name: "a.zip")
        let runs = (0..<20_000).map {
            "<w:p><w:r><w:t>段落 \($0) 机</w:t></w:r><w:r><w:t>密 text</w:t></w:r></w:p>"
        }
        let docx = try OfficeFixtures.docx(body: runs.joined())
        self.measure("docx", docx, name: "a.docx")
        self.measureXML(Array(("<w:body>" + runs.joined() + "</w:body>").utf8))
        let pdf = try FixtureMaker.python(
            """
            import zlib
            pages = 200
            objects = {1: b'<< /Type /Catalog /Pages 2 0 R >>',
                       3: b'<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica >>'}
            kids = []
            for p in range(pages):
                lines = b''.join(b'(Line %d of page %d with account 6222 0000 1111 %d) Tj T* '
                                 % (l, p, l) for l in range(50))
                data = zlib.compress(b'BT /F1 10 Tf 12 TL 40 780 Td ' + lines + b'ET')
                page, content = 4 + 2 * p, 5 + 2 * p
                kids.append(b'%d 0 R' % page)
                objects[page] = (b'<< /Type /Page /Parent 2 0 R /MediaBox [0 0 612 792] '
                                 b'/Contents %d 0 R /Resources << /Font << /F1 3 0 R >> >> >>'
                                 % content)
                objects[content] = (b'<< /Length %d /Filter /FlateDecode >>\\nstream\\n' % len(data)
                                    + data + b'\\nendstream')
            objects[2] = b'<< /Type /Pages /Kids [' + b' '.join(kids) + b'] /Count %d >>' % pages
            out = b'%PDF-1.4\\n'
            offsets = {}
            for number in sorted(objects):
                offsets[number] = len(out)
                out += b'%d 0 obj\\n' % number + objects[number] + b'\\nendobj\\n'
            xref = len(out)
            count = max(objects) + 1
            out += b'xref\\n0 %d\\n0000000000 65535 f \\n' % count
            for number in range(1, count):
                out += b'%010d 00000 n \\n' % offsets[number]
            out += (b'trailer\\n<< /Size %d /Root 1 0 R >>\\nstartxref\\n%d\\n%%%%EOF\\n'
                    % (count, xref))
            open('out', 'wb').write(out)
            """)
        self.measure("pdf", pdf, name: "a.pdf")
    }
}
