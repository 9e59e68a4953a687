// Facts about OLE compound files (legacy .doc/.xls/.ppt, MSI, and the wrapper that holds an
// encrypted OOXML document) read from their directory entries: which streams exist. Directory
// entries sit at 128-byte boundaries and start with the UTF-16LE stream name, so a scan of those
// offsets finds streams without parsing the FAT.

enum OLEContainer {
    private static let signature: [UInt8] = [0xD0, 0xCF, 0x11, 0xE0, 0xA1, 0xB1, 0x1A, 0xE1]

    /// The legacy application an OLE file belongs to.
    enum Application {
        case word
        case excel
        case powerpoint
        case other
    }

    static func isOLE(_ bytes: [UInt8]) -> Bool {
        bytes.starts(with: Self.signature)
    }

    /// Names of the streams and storages in the directory (first 2,000 at most).
    static func streamNames(_ bytes: [UInt8]) -> Set<String> {
        var names: Set<String> = []
        var offset = 512
        while offset + 128 <= bytes.count, names.count < 2_000 {
            let nameBytes = Int(bytes[offset + 64]) | Int(bytes[offset + 65]) << 8
            let type = bytes[offset + 66]
            if (2...64).contains(nameBytes), nameBytes % 2 == 0, (1...5).contains(type) {
                var units: [UInt16] = []
                for index in stride(from: offset, to: offset + nameBytes - 2, by: 2) {
                    units.append(UInt16(bytes[index]) | UInt16(bytes[index + 1]) << 8)
                }
                if let name = String(validating: units, as: UTF16.self), !name.isEmpty {
                    names.insert(name)
                }
            }
            offset += 128
        }
        return names
    }

    /// An encrypted OOXML document (Office's "Encrypt with Password").
    static func isEncryptedPackage(_ names: Set<String>) -> Bool {
        names.contains("EncryptionInfo") || names.contains("EncryptedPackage")
    }

    /// A VBA project is present.
    static func hasMacros(_ names: Set<String>) -> Bool {
        names.contains("_VBA_PROJECT") || names.contains("_VBA_PROJECT_CUR")
            || names.contains("Macros")
    }

    static func application(_ names: Set<String>) -> Application {
        if names.contains("WordDocument") { return .word }
        if names.contains("Workbook") || names.contains("Book") { return .excel }
        if names.contains("PowerPoint Document") { return .powerpoint }
        return .other
    }
}
