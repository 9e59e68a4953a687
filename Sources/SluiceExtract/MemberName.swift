// Archive member names as readable UTF-8. Zip names not flagged UTF-8 come out of libarchive
// either as raw bytes or (for archives made on DOS and Windows) read as CP437; CP437 text is
// turned back into its bytes. Raw bytes are decoded as UTF-8 when valid (macOS writes UTF-8
// without the flag), else as GB18030 (a superset of the CP936/GBK that Chinese Windows writes).

enum MemberName {
    /// Unicode scalars of CP437 bytes 0x80–0xFF, in byte order.
    private static let cp437High: [UInt32] = [
        0xc7, 0xfc, 0xe9, 0xe2, 0xe4, 0xe0, 0xe5, 0xe7,
        0xea, 0xeb, 0xe8, 0xef, 0xee, 0xec, 0xc4, 0xc5,
        0xc9, 0xe6, 0xc6, 0xf4, 0xf6, 0xf2, 0xfb, 0xf9,
        0xff, 0xd6, 0xdc, 0xa2, 0xa3, 0xa5, 0x20a7, 0x192,
        0xe1, 0xed, 0xf3, 0xfa, 0xf1, 0xd1, 0xaa, 0xba,
        0xbf, 0x2310, 0xac, 0xbd, 0xbc, 0xa1, 0xab, 0xbb,
        0x2591, 0x2592, 0x2593, 0x2502, 0x2524, 0x2561, 0x2562, 0x2556,
        0x2555, 0x2563, 0x2551, 0x2557, 0x255d, 0x255c, 0x255b, 0x2510,
        0x2514, 0x2534, 0x252c, 0x251c, 0x2500, 0x253c, 0x255e, 0x255f,
        0x255a, 0x2554, 0x2569, 0x2566, 0x2560, 0x2550, 0x256c, 0x2567,
        0x2568, 0x2564, 0x2565, 0x2559, 0x2558, 0x2552, 0x2553, 0x256b,
        0x256a, 0x2518, 0x250c, 0x2588, 0x2584, 0x258c, 0x2590, 0x2580,
        0x3b1, 0xdf, 0x393, 0x3c0, 0x3a3, 0x3c3, 0xb5, 0x3c4,
        0x3a6, 0x398, 0x3a9, 0x3b4, 0x221e, 0x3c6, 0x3b5, 0x2229,
        0x2261, 0xb1, 0x2265, 0x2264, 0x2320, 0x2321, 0xf7, 0x2248,
        0xb0, 0x2219, 0xb7, 0x221a, 0x207f, 0xb2, 0x25a0, 0xa0,
    ]

    private static let cp437Reverse: [UInt32: UInt8] = {
        var map: [UInt32: UInt8] = [:]
        for (offset, scalar) in cp437High.enumerated() {
            map[scalar] = UInt8(0x80 + offset)
        }
        return map
    }()

    /// The readable name of a zip member whose libarchive name is `reported` (UTF-8 bytes).
    /// `flaggedNames` holds the raw names of entries flagged UTF-8 in the central directory.
    static func zipName(_ reported: [UInt8], flaggedNames: Set<[UInt8]>) -> String {
        if flaggedNames.contains(reported) || reported.allSatisfy({ $0 < 0x80 }) {
            return String(decoding: reported, as: UTF8.self)
        }
        guard let text = String(validating: reported, as: UTF8.self) else {
            return self.rawName(reported)
        }
        guard let raw = self.cp437Bytes(text) else { return text }
        if let utf8 = String(validating: raw, as: UTF8.self) { return utf8 }
        return CharsetConverter.decode(raw, from: "GB18030", strict: true) ?? text
    }

    /// The readable name of a member of a non-zip archive from its raw name bytes.
    static func rawName(_ raw: [UInt8]) -> String {
        if let utf8 = String(validating: raw, as: UTF8.self) { return utf8 }
        return CharsetConverter.decode(raw, from: "GB18030", strict: true)
            ?? CharsetConverter.decode(raw, from: "CP1252", strict: false)
            ?? String(decoding: raw, as: UTF8.self)
    }

    /// The bytes whose CP437 reading is `text`, or nil when `text` is not CP437.
    private static func cp437Bytes(_ text: String) -> [UInt8]? {
        var bytes: [UInt8] = []
        for scalar in text.unicodeScalars {
            if scalar.value < 0x80 {
                bytes.append(UInt8(scalar.value))
            } else if let byte = self.cp437Reverse[scalar.value] {
                bytes.append(byte)
            } else {
                return nil
            }
        }
        return bytes
    }

    /// `./a//b/` → `a/b`: the member path with empty and `.` components removed.
    static func normalisedPath(_ name: String) -> String {
        name.split(separator: "/").filter { $0 != "." }.joined(separator: "/")
    }
}
