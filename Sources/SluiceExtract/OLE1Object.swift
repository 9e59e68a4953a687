// An object embedded in an RTF document: an OLE 1.0 EmbeddedObject (MS-OLEDS 2.2.4) holding a
// class name and native data. For the Packager class ("Package", a file dropped into the
// document) the native data is the original file with its name; for other classes it is usually
// an OLE compound file (an embedded workbook or document) that is scanned as it is.

struct OLE1Object {
    var className: String
    /// The packaged file's name, or `<class>.bin` for other classes.
    var fileName: String
    var data: [UInt8]

    /// Parses `bytes`, whose names are in Windows code page `codePage`; nil when they are not
    /// an embedded OLE 1.0 object.
    init?(_ bytes: [UInt8], codePage: Int) {
        var reader = Reader(bytes: bytes, codePage: codePage)
        guard reader.uint32() != nil, reader.uint32() == 2, let className = reader.lengthString(),
            reader.lengthString() != nil, reader.lengthString() != nil,
            let size = reader.uint32(), let native = reader.take(Int(size))
        else { return nil }
        self.className = className
        if className == "Package", let package = Self.package(native, codePage: codePage) {
            self.fileName = package.name
            self.data = package.data
        } else {
            let safeClass = className.filter { $0.isLetter || $0.isNumber || $0 == "." }
            self.fileName = (safeClass.isEmpty ? "object" : safeClass) + ".bin"
            self.data = native
        }
    }

    /// The name and content of an OLE Packager file.
    private static func package(
        _ native: [UInt8], codePage: Int
    ) -> (
        name: String, data: [UInt8]
    )? {
        var reader = Reader(bytes: native, codePage: codePage)
        guard reader.uint16() != nil, let label = reader.cString(), reader.cString() != nil,
            reader.uint32() != nil, reader.uint32() != nil, reader.cString() != nil,
            let size = reader.uint32(), let data = reader.take(Int(size))
        else { return nil }
        let leaf = label.split(whereSeparator: { $0 == "/" || $0 == "\\" }).last.map(String.init)
        return (leaf.flatMap { $0.isEmpty ? nil : $0 } ?? "package.bin", data)
    }

    /// Little-endian reads that fail instead of running past the end.
    private struct Reader {
        let bytes: [UInt8]
        let codePage: Int
        var offset = 0

        mutating func take(_ count: Int) -> [UInt8]? {
            guard count >= 0, count <= self.bytes.count - self.offset else { return nil }
            defer { self.offset += count }
            return Array(self.bytes[self.offset..<(self.offset + count)])
        }

        mutating func uint16() -> UInt16? {
            self.take(2).map { UInt16($0[0]) | UInt16($0[1]) << 8 }
        }

        mutating func uint32() -> UInt32? {
            self.take(4).map {
                UInt32($0[0]) | UInt32($0[1]) << 8 | UInt32($0[2]) << 16 | UInt32($0[3]) << 24
            }
        }

        /// A string preceded by its length (NUL included).
        mutating func lengthString() -> String? {
            guard let length = self.uint32(), let raw = self.take(Int(length)) else { return nil }
            return self.decode(Array(raw.prefix { $0 != 0 }))
        }

        mutating func cString() -> String? {
            guard let end = self.bytes[self.offset...].firstIndex(of: 0) else { return nil }
            let raw = Array(self.bytes[self.offset..<end])
            self.offset = end + 1
            return self.decode(raw)
        }

        private func decode(_ raw: [UInt8]) -> String {
            if let utf8 = String(validating: raw, as: UTF8.self) { return utf8 }
            return CharsetConverter.decode(raw, from: "CP\(self.codePage)", strict: true)
                ?? MemberName.rawName(raw)
        }
    }
}
