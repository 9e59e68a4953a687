// Decompression bombs stop at the limits, are flagged, and never expand in full: nested zips in
// the 42.zip style, an overlapping-entry zip, an archive with 10,000 members, and a member that
// expands far beyond its compressed size.

import Testing

@testable import SluiceExtract

@Suite struct BombTests {
    /// Small limits so that each bomb hits its limit in milliseconds.
    static let limits = ExtractionLimits(
        maxDepth: 4, maxMembersPerArchive: 500, maxTotalBytes: 8 << 20, maxFileBytes: 4 << 20,
        maxExpansionRatio: 50, ratioFloorBytes: 1 << 20)
    let extractor = Extractor(limits: BombTests.limits)

    @Test func nestedZipsStopAtTheDepthAndByteLimits() throws {
        // 16 copies of a 16-member zip per level, five levels, 1 MiB of zeros per leaf.
        let bomb = try FixtureMaker.python(
            """
            import io, zipfile
            def pack(members):
                buffer = io.BytesIO()
                with zipfile.ZipFile(buffer, 'w', zipfile.ZIP_DEFLATED) as z:
                    for name, data in members:
                        z.writestr(name, data)
                return buffer.getvalue()
            level = pack([('%d.txt' % i, b'\\0' * (1 << 20)) for i in range(16)])
            for depth in range(5):
                level = pack([('%d.zip' % i, level) for i in range(16)])
            open('out', 'wb').write(level)
            """)
        let result = self.extractor.extract(
            Attachment(name: "42.zip", declaredType: nil, path: "1", bytes: bomb))
        #expect(result.incomplete)
        let kinds = Set(result.limitHits.map(\.kind))
        #expect(kinds.contains(.depthLimit) || kinds.contains(.totalBytesLimit), "\(kinds)")
        let expanded = result.items.dropFirst().map(\.size).reduce(0, +)
        #expect(expanded <= Self.limits.maxTotalBytes, "expanded \(expanded) bytes")
        #expect(result.items.first?.scanned == false || result.items.contains { !$0.scanned })
    }

    @Test func overlappingEntriesAreRejectedBeforeExpansion() throws {
        // David Fifield's construction: every central directory entry points at one shared
        // deflate stream of 50 MiB of zeros.
        let bomb = try FixtureMaker.python(
            """
            import struct, zlib
            data = zlib.compressobj(9, zlib.DEFLATED, -15)
            stream = data.compress(b'\\0' * (50 << 20)) + data.flush()
            crc = zlib.crc32(b'\\0' * (50 << 20))
            size = 50 << 20
            local = b''
            central = b''
            count = 20
            for i in range(count):
                name = b'f%02d.txt' % i
                header = struct.pack('<IHHHHHIIIHH', 0x04034b50, 20, 0, 8, 0, 0, crc,
                                     len(stream), size, len(name), 0) + name
                offset = len(local)
                local += header
                central += struct.pack('<IHHHHHHIIIHHHHHII', 0x02014b50, 20, 20, 0, 8, 0, 0,
                                       crc, len(stream), size, len(name), 0, 0, 0, 0, 0,
                                       offset) + name
            body = local + stream
            end = struct.pack('<IHHHHIIH', 0x06054b50, 0, 0, count, count, len(central),
                              len(body), 0)
            open('out', 'wb').write(body + central + end)
            """)
        let result = self.extractor.extract(
            Attachment(name: "overlap.zip", declaredType: nil, path: "1", bytes: bomb))
        let archive = try #require(result.items.first)
        #expect(archive.problem?.kind == .overlappingEntries)
        #expect(!archive.scanned)
        #expect(result.items.count == 1)
        #expect(result.incomplete)
    }

    @Test func tenThousandMembersStopAtTheMemberLimit() throws {
        let bomb = try FixtureMaker.python(
            """
            import zipfile
            with zipfile.ZipFile('out', 'w') as z:
                for i in range(10000):
                    z.writestr('m%05d.txt' % i, b'x')
            """)
        let clock = ContinuousClock()
        let started = clock.now
        let result = self.extractor.extract(
            Attachment(name: "many.zip", declaredType: nil, path: "1", bytes: bomb))
        #expect(result.items.count == Self.limits.maxMembersPerArchive + 1)
        #expect(result.limitHits.first?.kind == .memberLimit)
        #expect(result.items.first?.scanned == false)
        #expect(clock.now - started < .seconds(10))
    }

    @Test func highRatioMemberStopsAtTheRatioLimit() throws {
        let bomb = try FixtureMaker.shell(
            files: [:], "yes SECRET | head -c 100000000 > zeros.bin && gzip -9 -c zeros.bin > out",
            output: "out")
        var limits = Self.limits
        limits.maxFileBytes = 64 << 20
        limits.maxTotalBytes = 64 << 20
        let result = Extractor(limits: limits).extract(
            Attachment(name: "zeros.bin.gz", declaredType: nil, path: "1", bytes: bomb))
        #expect(result.limitHits.contains { $0.kind == .ratioLimit }, "\(result.limitHits)")
        let member = try #require(result.items.last)
        #expect(member.size <= 50 * bomb.count + (64 << 10), "member read \(member.size) bytes")
        #expect(!member.scanned)
    }

    @Test func timeBudgetIsHonoured() throws {
        var limits = Self.limits
        limits.timeBudget = .zero
        let zip = try FixtureMaker.python(OfficeFixtures.zipScript([("a.txt", "x")]))
        let result = Extractor(limits: limits).extract(
            Attachment(name: "a.zip", declaredType: nil, path: "1", bytes: zip))
        #expect(result.limitHits.first?.kind == .timeLimit)
    }
}
