// The one table that says which file types belong to which policy group: each row is a kind of
// file with its groups, the MIME types libmagic reports for it, and the extensions it goes by.
// Content and name are judged separately; an item gets the groups of both, and a name whose kind
// does not fit the content is a type mismatch.

/// One kind of file. A MIME pattern ending in `/` or `.` matches every type it starts.
struct FileKind: Sendable {
    let name: String
    let groups: Set<TypeGroup>
    let mimeTypes: [String]
    let extensions: [String]
    /// Further detected types that are no mismatch for this kind's extensions.
    let alsoFits: [String]

    init(
        _ name: String, _ groups: Set<TypeGroup>, mime: [String], ext: [String],
        alsoFits: [String] = []
    ) {
        self.name = name
        self.groups = groups
        self.mimeTypes = mime
        self.extensions = ext
        self.alsoFits = alsoFits
    }

    func matches(_ mime: String) -> Bool {
        self.mimeTypes.contains { FileKind.pattern($0, matches: mime) }
    }

    func fits(_ mime: String) -> Bool {
        self.matches(mime) || self.alsoFits.contains { FileKind.pattern($0, matches: mime) }
    }

    private static func pattern(_ pattern: String, matches mime: String) -> Bool {
        pattern.hasSuffix("/") || pattern.hasSuffix(".") ? mime.hasPrefix(pattern) : mime == pattern
    }
}

enum TypeTable {
    private static let ooxml = "application/vnd.openxmlformats-officedocument."
    private static let windowsScripts = [
        "bat", "cmd", "vbs", "vbe", "js", "jse", "wsf", "wsh", "ps1", "psm1", "psd1", "hta",
        "reg", "scf", "inf", "msc", "sct", "vb",
    ]

    static let kinds: [FileKind] = [
        FileKind(
            "Windows executable", [.executable],
            mime: [
                "application/x-dosexec", "application/vnd.microsoft.portable-executable",
                "application/x-msdownload",
            ],
            ext: ["exe", "dll", "scr", "com", "cpl", "sys", "ocx", "drv", "efi", "pif"]),
        FileKind(
            "ELF executable", [.executable],
            mime: [
                "application/x-executable", "application/x-sharedlib",
                "application/x-pie-executable", "application/x-elf", "application/x-object",
            ],
            ext: ["elf", "so", "run"]),
        FileKind(
            "Mach-O executable", [.executable], mime: ["application/x-mach-binary"],
            ext: ["dylib"]),
        FileKind(
            "Windows installer", [.executable], mime: ["application/x-msi"],
            ext: ["msi", "msp", "msu", "appx", "msix"],
            alsoFits: ["application/x-ole-storage", "application/vnd.ms-office", "application/zip"]
        ),
        FileKind(
            "Java or Android package", [.executable, .archive],
            mime: [
                "application/java-archive", "application/x-java-applet",
                "application/vnd.android.package-archive",
            ],
            ext: ["jar", "apk", "class", "xapk"], alsoFits: ["application/zip"]),
        FileKind(
            "Windows shortcut", [.executable], mime: ["application/x-ms-shortcut"],
            ext: ["lnk", "url"], alsoFits: ["text/"]),
        FileKind(
            "Windows script", [.executable, .script],
            mime: ["text/x-msdos-batch", "application/x-bat", "text/x-vbscript"],
            ext: windowsScripts, alsoFits: ["text/", "application/javascript", "application/xml"]
        ),
        FileKind(
            "Unix or interpreted script", [.script],
            mime: [
                "text/x-shellscript", "text/x-python", "text/x-script.python", "text/x-perl",
                "text/x-ruby", "text/x-php", "application/javascript", "text/javascript",
                "application/x-shellscript",
            ],
            ext: ["sh", "bash", "zsh", "py", "pl", "rb", "php", "mjs"], alsoFits: ["text/"]),
        FileKind("ZIP archive", [.archive], mime: ["application/zip"], ext: ["zip", "zipx"]),
        FileKind("7-Zip archive", [.archive], mime: ["application/x-7z-compressed"], ext: ["7z"]),
        FileKind(
            "RAR archive", [.archive], mime: ["application/x-rar", "application/vnd.rar"],
            ext: ["rar"]),
        FileKind("tar archive", [.archive], mime: ["application/x-tar"], ext: ["tar"]),
        FileKind(
            "gzip stream", [.archive], mime: ["application/gzip", "application/x-gzip"],
            ext: ["gz", "tgz"]),
        FileKind(
            "bzip2 stream", [.archive], mime: ["application/x-bzip2"], ext: ["bz2", "tbz2"]),
        FileKind(
            "xz stream", [.archive], mime: ["application/x-xz", "application/x-lzma"],
            ext: ["xz", "txz", "lzma"]),
        FileKind("zstd stream", [.archive], mime: ["application/zstd"], ext: ["zst", "tzst"]),
        FileKind("lz4 stream", [.archive], mime: ["application/x-lz4"], ext: ["lz4"]),
        FileKind(
            "cabinet", [.archive], mime: ["application/vnd.ms-cab-compressed"], ext: ["cab"]),
        FileKind("cpio archive", [.archive], mime: ["application/x-cpio"], ext: ["cpio"]),
        FileKind(
            "ar archive", [.archive],
            mime: ["application/x-archive", "application/vnd.debian.binary-package"],
            ext: ["ar", "deb", "a"]),
        FileKind(
            "ISO 9660 image", [.diskImage, .archive], mime: ["application/x-iso9660-image"],
            ext: ["iso"]),
        FileKind(
            "disk image", [.diskImage],
            mime: [
                "application/x-apple-diskimage", "application/x-virtualbox-vdi",
                "application/x-vhd", "application/x-vmdk", "application/x-qemu-disk",
            ],
            ext: ["img", "dmg", "vhd", "vhdx", "vmdk", "vdi", "qcow2", "udf"],
            alsoFits: ["application/octet-stream"]),
        FileKind(
            "Office Open XML document", [.office],
            mime: [ooxml, "application/vnd.ms-excel.sheet.binary.macroenabled.12"],
            ext: ["docx", "dotx", "xlsx", "xltx", "xlsb", "pptx", "potx", "ppsx", "vsdx"],
            alsoFits: ["application/zip", "application/encrypted", "application/x-ole-storage"]),
        FileKind(
            "macro-enabled Office document", [.office, .officeMacro],
            mime: [
                "application/vnd.ms-word.document.macroenabled.12",
                "application/vnd.ms-word.template.macroenabled.12",
                "application/vnd.ms-excel.sheet.macroenabled.12",
                "application/vnd.ms-excel.template.macroenabled.12",
                "application/vnd.ms-excel.addin.macroenabled.12",
                "application/vnd.ms-powerpoint.presentation.macroenabled.12",
                "application/vnd.ms-powerpoint.slideshow.macroenabled.12",
                "application/vnd.ms-powerpoint.addin.macroenabled.12",
            ],
            ext: ["docm", "dotm", "xlsm", "xltm", "xlam", "pptm", "potm", "ppsm", "ppam"],
            alsoFits: [ooxml, "application/zip", "application/encrypted"]),
        FileKind(
            "legacy Office document", [.office],
            mime: [
                "application/msword", "application/vnd.ms-excel", "application/vnd.ms-powerpoint",
                "application/vnd.ms-office", "application/x-ole-storage", "application/cdfv2",
                "application/vnd.ms-outlook",
            ],
            ext: ["doc", "dot", "xls", "xlt", "ppt", "pot", "pps", "msg", "wps", "vsd"],
            alsoFits: ["application/encrypted"]),
        FileKind(
            "OpenDocument", [.office], mime: ["application/vnd.oasis.opendocument."],
            ext: ["odt", "ods", "odp", "odg", "ott", "ots", "otp"], alsoFits: ["application/zip"]),
        FileKind(
            "RTF document", [.office], mime: ["text/rtf", "application/rtf"], ext: ["rtf"]),
        FileKind("PDF document", [.pdf], mime: ["application/pdf"], ext: ["pdf"]),
        FileKind(
            "image", [.image], mime: ["image/"],
            ext: [
                "jpg", "jpeg", "png", "gif", "bmp", "tif", "tiff", "webp", "heic", "ico", "svg",
                "emf", "wmf",
            ], alsoFits: ["text/xml", "application/xml"]),
        FileKind(
            "text", [.text],
            mime: ["text/", "application/json", "application/xml", "message/rfc822"],
            ext: [
                "txt", "csv", "tsv", "log", "md", "json", "xml", "html", "htm", "eml", "ini",
                "cfg", "conf", "yaml", "yml", "sql",
            ]),
        FileKind(
            "encrypted data", [.encrypted],
            mime: ["application/encrypted", "application/pgp-encrypted", "application/pkcs7-mime"],
            ext: ["gpg", "pgp", "p7m", "axx"],
            alsoFits: ["application/octet-stream", "text/"]),
    ]

    private static let kindByExtension: [String: FileKind] = {
        var map: [String: FileKind] = [:]
        for kind in kinds {
            for ext in kind.extensions where map[ext] == nil {
                map[ext] = kind
            }
        }
        return map
    }()

    /// The kind a lowercased extension stands for.
    static func kind(forExtension ext: String) -> FileKind? {
        self.kindByExtension[ext]
    }

    /// The kinds a detected (lowercased, parameter-free) MIME type belongs to.
    static func kinds(forMIME mime: String) -> [FileKind] {
        self.kinds.filter { $0.matches(mime) }
    }

    /// Groups the content belongs to.
    static func groups(forMIME mime: String) -> Set<TypeGroup> {
        self.kinds(forMIME: mime).reduce(into: []) { $0.formUnion($1.groups) }
    }

    /// Whether an extension names something that runs when opened.
    static func isRiskyExtension(_ ext: String) -> Bool {
        guard let kind = self.kind(forExtension: ext) else { return false }
        return kind.groups.contains(.executable) || kind.groups.contains(.script)
    }

    /// Whether the content contradicts the name's extension or the declared type.
    static func isMismatch(detected: String, fileExtension: String?, declared: String?) -> Bool {
        if detected == "application/octet-stream" || detected.isEmpty { return false }
        if let ext = fileExtension, let kind = self.kind(forExtension: ext), !kind.fits(detected) {
            return true
        }
        guard let declared, declared != "application/octet-stream" else { return false }
        let declaredKinds = self.kinds(forMIME: declared)
        guard !declaredKinds.isEmpty else { return false }
        return !declaredKinds.contains { $0.fits(detected) }
    }
}
