// A minimal ISO 9660 image written byte by byte (system area, primary volume descriptor,
// terminator, path tables, root directory, one file), since no ISO writer is installed here.

enum ISOFixture {
    /// An image holding `NOTES.TXT` with the text `ISO-MEMBER-KEY`.
    static func image() throws -> [UInt8] {
        try FixtureMaker.python(
            #"""
            import struct
            def both16(v): return struct.pack('<H', v) + struct.pack('>H', v)
            def both32(v): return struct.pack('<I', v) + struct.pack('>I', v)
            def record(name, lba, size, is_dir):
                body = (bytes([0]) + both32(lba) + both32(size) + bytes([126, 1, 1, 0, 0, 0, 0])
                        + bytes([2 if is_dir else 0, 0, 0]) + both16(1) + bytes([len(name)]) + name)
                entry = bytes([len(body) + 1]) + body
                return entry + (b'\0' if len(entry) % 2 else b'')
            payload = b'ISO-MEMBER-KEY\n'
            root = (record(b'\0', 21, 2048, True) + record(b'\1', 21, 2048, True)
                    + record(b'NOTES.TXT;1', 22, len(payload), False))
            pvd = bytearray(2048)
            pvd[0:7] = b'\x01CD001\x01'
            pvd[8:40] = b'LINUX'.ljust(32)
            pvd[40:72] = b'SLUICE'.ljust(32)
            pvd[80:88] = both32(32)
            pvd[120:124] = both16(1)
            pvd[124:128] = both16(1)
            pvd[128:132] = both16(2048)
            pvd[132:140] = both32(10)
            pvd[140:144] = struct.pack('<I', 19)
            pvd[148:152] = struct.pack('>I', 20)
            pvd[156:190] = record(b'\0', 21, 2048, True)
            pvd[881] = 1
            terminator = bytearray(2048)
            terminator[0:7] = b'\xffCD001\x01'
            path_entry = bytes([1, 0]) + struct.pack('<I', 21) + struct.pack('<H', 1) + b'\0\0'
            path_l = path_entry.ljust(2048, b'\0')
            path_m = bytes([1, 0]) + struct.pack('>I', 21) + struct.pack('>H', 1) + b'\0\0'
            path_m = path_m.ljust(2048, b'\0')
            # libarchive reads 16 KiB past the system area before it bids, so pad to 32 blocks.
            image = (bytes(16 * 2048) + bytes(pvd) + bytes(terminator) + bytes(2048) + path_l
                     + path_m + root.ljust(2048, b'\0') + payload.ljust(2048, b'\0'))
            image = image.ljust(32 * 2048, b'\0')
            open('out', 'wb').write(image)
            """#)
    }
}
