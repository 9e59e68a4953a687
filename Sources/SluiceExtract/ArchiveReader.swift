// Streams the members of an archive held in memory through libarchive: zip, 7z, rar, tar, cab,
// iso9660, cpio, ar and single compressed streams (gzip, bzip2, xz, zstd, lz4). Member data is
// read in chunks and abandoned as soon as a limit says so. Reading runs under a thread-local
// C.UTF-8 locale so that libarchive hands out UTF-8 names without touching the process locale.

import CArchive
import Glibc

/// The parts of a libarchive entry that extraction needs.
struct ArchiveEntry {
    var name: String
    var isRegularFile: Bool
    var encrypted: Bool
}

/// The container format content was identified as, which decides the libarchive readers used.
enum ArchiveKind {
    case zip, sevenZip, rar, tar, cab, iso9660, cpio, ar
    /// A compressed stream: a tarball, a compressed cpio, or a single compressed file.
    case compressed
    /// A compressed stream read as one file whatever it holds.
    case singleStream
    case other

    init(mime: String) {
        switch mime {
        case "application/zip", "application/java-archive",
            "application/vnd.android.package-archive":
            self = .zip
        case _ where mime.hasPrefix("application/vnd.openxmlformats-officedocument."),
            _ where mime.hasPrefix("application/vnd.oasis.opendocument."),
            _ where mime.hasPrefix("application/vnd.ms-") && mime.hasSuffix(".12"):
            self = .zip
        case "application/x-7z-compressed": self = .sevenZip
        case "application/x-rar", "application/vnd.rar": self = .rar
        case "application/x-tar": self = .tar
        case "application/vnd.ms-cab-compressed": self = .cab
        case "application/x-iso9660-image": self = .iso9660
        case "application/x-cpio": self = .cpio
        case "application/x-archive", "application/vnd.debian.binary-package": self = .ar
        case "application/gzip", "application/x-gzip", "application/x-bzip2", "application/x-xz",
            "application/x-lzma", "application/zstd", "application/x-lz4", "application/x-compress",
            "application/x-lzip":
            self = .compressed
        default: self = .other
        }
    }
}

/// How reading one member's data ended.
enum MemberData {
    case complete([UInt8])
    /// Stopped by the caller's check; the bytes read so far.
    case stopped([UInt8])
    case failed(String, [UInt8])
}

/// A thread-local locale handle, created once.
private struct UTF8Locale: @unchecked Sendable {
    let handle: locale_t?

    static let shared = UTF8Locale(handle: newlocale(1 << LC_CTYPE, "C.UTF-8", nil))
}

final class ArchiveReader {
    private let archive: OpaquePointer
    private let flaggedZipNames: Set<[UInt8]>
    private let rawStreamName: String
    private var buffer = [UInt8](repeating: 0, count: 64 << 10)
    /// `AE_IFREG`, which Swift does not import.
    private static let regularFileType: UInt32 = 0o100000

    private init(archive: OpaquePointer, flaggedZipNames: Set<[UInt8]>, rawStreamName: String) {
        self.archive = archive
        self.flaggedZipNames = flaggedZipNames
        self.rawStreamName = rawStreamName
    }

    private typealias Support = @Sendable @convention(c) (OpaquePointer?) -> Int32

    /// The formats tried for each kind of container. Only the format the content was identified
    /// as is enabled: with all of them, tar claims anything that starts with zero blocks (every
    /// ISO 9660 image) and reads it as empty. mtree is never enabled; it reads plain text as a
    /// list of entries.
    private static func formats(_ kind: ArchiveKind) -> [Support] {
        switch kind {
        case .zip: return [archive_read_support_format_zip]
        case .sevenZip: return [archive_read_support_format_7zip]
        case .rar: return [archive_read_support_format_rar, archive_read_support_format_rar5]
        case .tar: return [archive_read_support_format_tar]
        case .cab: return [archive_read_support_format_cab]
        case .iso9660: return [archive_read_support_format_iso9660]
        case .cpio: return [archive_read_support_format_cpio]
        case .ar: return [archive_read_support_format_ar]
        case .compressed:
            return [
                archive_read_support_format_tar, archive_read_support_format_cpio,
                archive_read_support_format_raw,
            ]
        case .singleStream:
            return [archive_read_support_format_raw]
        case .other:
            return [
                archive_read_support_format_7zip, archive_read_support_format_ar,
                archive_read_support_format_cab, archive_read_support_format_cpio,
                archive_read_support_format_iso9660, archive_read_support_format_lha,
                archive_read_support_format_rar, archive_read_support_format_rar5,
                archive_read_support_format_tar, archive_read_support_format_xar,
                archive_read_support_format_zip,
            ]
        }
    }

    /// Compression filters built into libarchive; `filter_all` would also run external
    /// programs (lzop, lrzip, grzip) from inside the daemon.
    private static let filters: [Support] = [
        archive_read_support_filter_bzip2, archive_read_support_filter_compress,
        archive_read_support_filter_gzip, archive_read_support_filter_lzip,
        archive_read_support_filter_lzma, archive_read_support_filter_xz,
        archive_read_support_filter_lz4, archive_read_support_filter_zstd,
        archive_read_support_filter_uu,
    ]

    /// Opens `bytes` as a `kind` container and runs `body` with the reader; a failure with
    /// libarchive's message when the bytes are not an archive it can read. `rawStreamName` names
    /// the content of a single compressed stream.
    static func withReader<Result>(
        _ bytes: [UInt8], kind: ArchiveKind, flaggedZipNames: Set<[UInt8]>,
        rawStreamName: String, _ body: (ArchiveReader) -> Result
    ) -> Swift.Result<Result, ArchiveOpenError> {
        let previousLocale = UTF8Locale.shared.handle.map { uselocale($0) }
        defer { if let previousLocale { uselocale(previousLocale) } }
        guard let archive = archive_read_new() else {
            return .failure(ArchiveOpenError(message: "archive_read_new failed"))
        }
        defer { archive_read_free(archive) }
        for support in Self.filters + Self.formats(kind) { _ = support(archive) }
        return bytes.withUnsafeBytes { raw in
            guard archive_read_open_memory(archive, raw.baseAddress, raw.count) == ARCHIVE_OK
            else {
                return .failure(ArchiveOpenError(message: Self.errorText(archive)))
            }
            let reader = ArchiveReader(
                archive: archive, flaggedZipNames: flaggedZipNames, rawStreamName: rawStreamName)
            return .success(body(reader))
        }
    }

    /// The next entry, nil at the end, or libarchive's message when the archive is damaged.
    func next() -> Swift.Result<ArchiveEntry?, ArchiveOpenError> {
        var entry: OpaquePointer?
        let status = archive_read_next_header(self.archive, &entry)
        if status == ARCHIVE_EOF { return .success(nil) }
        guard status == ARCHIVE_OK || status == ARCHIVE_WARN, let entry else {
            let encrypted = archive_read_has_encrypted_entries(self.archive) > 0
            return .failure(
                ArchiveOpenError(message: Self.errorText(self.archive), encrypted: encrypted))
        }
        let fileType = archive_entry_filetype(entry)
        return .success(
            ArchiveEntry(
                name: self.name(of: entry),
                isRegularFile: fileType == Self.regularFileType || fileType == 0,
                encrypted: archive_entry_is_encrypted(entry) != 0))
    }

    /// Reads the current entry's data while `check(bytesSoFar)` allows, at most `limit` bytes.
    func readData(limit: Int, check: (Int) -> Bool) -> MemberData {
        var data: [UInt8] = []
        while true {
            let count = self.buffer.withUnsafeMutableBytes {
                archive_read_data(self.archive, $0.baseAddress, $0.count)
            }
            if count == 0 { return .complete(data) }
            if count < 0 { return .failed(Self.errorText(self.archive), data) }
            let room = limit - data.count
            data.append(contentsOf: self.buffer[0..<min(count, room)])
            if count > room || !check(data.count) { return .stopped(data) }
        }
    }

    private func name(of entry: OpaquePointer) -> String {
        let format = archive_format(self.archive) & ARCHIVE_FORMAT_BASE_MASK
        if format == ARCHIVE_FORMAT_RAW { return self.rawStreamName }
        guard let pointer = archive_entry_pathname(entry) else { return "unnamed" }
        let raw = Array(UnsafeBufferPointer(start: pointer, count: strlen(pointer)))
            .map { UInt8(bitPattern: $0) }
        if format == ARCHIVE_FORMAT_ZIP {
            return MemberName.zipName(raw, flaggedNames: self.flaggedZipNames)
        }
        return MemberName.rawName(raw)
    }

    private static func errorText(_ archive: OpaquePointer) -> String {
        archive_error_string(archive).map { String(cString: $0) } ?? "unreadable archive"
    }
}

/// libarchive could not open or continue an archive.
struct ArchiveOpenError: Error {
    var message: String
    var encrypted = false
}
