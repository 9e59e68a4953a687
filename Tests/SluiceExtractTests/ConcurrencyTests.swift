// Extraction from many threads at once: libmagic handles, iconv descriptors and the thread-local
// locale used for libarchive must not leak between concurrent calls.

import Testing

@testable import SluiceExtract

@Suite struct ConcurrencyTests {
    @Test func extractionsOnManyThreadsAgree() async throws {
        let pe = try FixtureMaker.portableExecutable()
        let zip = try FixtureMaker.shell(
            files: ["a/机密.txt": Array("THREAD-KEY".utf8), "b/tool.pdf": pe],
            "zip -q -r out a b && mv out.zip out", output: "out")
        let attachment = Attachment(name: "x.zip", declaredType: nil, path: "1", bytes: zip)
        let expected = Extractor().extract(attachment)
        let results = await withTaskGroup(of: ExtractionResult.self) { group in
            for _ in 0..<16 {
                group.addTask { Extractor().extract(attachment) }
            }
            return await group.reduce(into: []) { $0.append($1) }
        }
        #expect(results.count == 16)
        #expect(results.allSatisfy { $0 == expected })
        #expect(expected.item(at: "1/b/tool.pdf")?.groups.contains(.executable) == true)
    }
}
