// A legacy Excel workbook (BIFF8 in an OLE compound file) written byte by byte, so the
// xls2csv path is exercised on a real file without committing one.

enum LegacyOfficeFixtures {
    /// One sheet named 名单 with the cells 客户名单, XLS-SECRET and the number 110101.
    static func excelWorkbook() throws -> [UInt8] {
        try FixtureMaker.python(
            #"""
            import struct
            def rec(t, data): return struct.pack('<HH', t, len(data)) + data
            def ustr16(s): return struct.pack('<HB', len(s), 1) + s.encode('utf-16-le')
            def ustr8(s): return struct.pack('<BB', len(s), 1) + s.encode('utf-16-le')
            strings = ['客户名单', 'XLS-SECRET']
            def bof(kind):
                return rec(0x0809, struct.pack('<HHHHII', 0x0600, kind, 0x0DBB, 0x07CC, 0, 6))
            bof_globals = bof(0x0005)
            sst = rec(0x00FC, struct.pack('<II', len(strings), len(strings))
                      + b''.join(ustr16(s) for s in strings))
            def sheet_bytes():
                return (bof(0x0010)
                    + rec(0x0200, struct.pack('<IIHHH', 0, 2, 0, 2, 0))
                    + rec(0x00FD, struct.pack('<HHHI', 0, 0, 15, 0))
                    + rec(0x00FD, struct.pack('<HHHI', 1, 0, 15, 1))
                    + rec(0x0203, struct.pack('<HHHd', 1, 1, 15, 110101.0))
                    + rec(0x000A, b''))
            name = '名单'
            boundsheet_len = 4 + 8 + len(ustr8(name))
            globals_len = len(bof_globals) + boundsheet_len + len(sst) + 4
            boundsheet = rec(0x0085, struct.pack('<IBB', globals_len, 0, 0) + ustr8(name))
            workbook = bof_globals + boundsheet + sst + rec(0x000A, b'') + sheet_bytes()
            assert len(workbook) <= 4096
            workbook += bytes(4096 - len(workbook))
            header = bytearray(512)
            header[0:8] = bytes.fromhex('d0cf11e0a1b11ae1')
            struct.pack_into('<HHHHH', header, 24, 0x3E, 3, 0xFFFE, 9, 6)
            struct.pack_into('<IIIIIIIII', header, 40, 0, 1, 1, 0, 4096, 0xFFFFFFFE, 0,
                             0xFFFFFFFE, 0)
            struct.pack_into('<I', header, 76, 0)
            for i in range(1, 109): struct.pack_into('<I', header, 76 + 4 * i, 0xFFFFFFFF)
            fat = [0xFFFFFFFD, 0xFFFFFFFE] + [3, 4, 5, 6, 7, 8, 9, 0xFFFFFFFE]
            fat += [0xFFFFFFFF] * (128 - len(fat))
            fat_sector = struct.pack('<128I', *fat)
            def entry(name, kind, child, start, size):
                e = bytearray(128)
                encoded = name.encode('utf-16-le') + b'\0\0' if name else b''
                e[0:len(encoded)] = encoded
                struct.pack_into('<HBB', e, 64, len(encoded), kind, 1)
                struct.pack_into('<III', e, 68, 0xFFFFFFFF, 0xFFFFFFFF, child)
                struct.pack_into('<II', e, 116, start, size)
                return bytes(e)
            directory = (entry('Root Entry', 5, 1, 0xFFFFFFFE, 0)
                         + entry('Workbook', 2, 0xFFFFFFFF, 2, 4096)
                         + entry('', 0, 0xFFFFFFFF, 0, 0) + entry('', 0, 0xFFFFFFFF, 0, 0))
            open('out', 'wb').write(bytes(header) + fat_sector + directory + workbook)
            """#)
    }
}
