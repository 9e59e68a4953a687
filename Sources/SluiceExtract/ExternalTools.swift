// Where the external extractors live. PDF and legacy Office parsers are large C/C++ code bases
// that crash or hang on hostile files, so they run as child processes under `prlimit`.

import Glibc

/// Paths of the programs extraction runs as child processes.
public struct ExternalTools: Sendable, Hashable {
    /// Sluice's own PDF reader (a running poppler process); nil, or not installed, falls back
    /// to pdftotext and pdfdetach, one process per document.
    public var pdfReader: String?
    /// poppler-utils
    public var pdftotext: String
    /// poppler-utils; lists and saves files attached to a PDF.
    public var pdfdetach: String
    /// catdoc (also provides xls2csv and catppt)
    public var catdoc: String
    public var xls2csv: String
    public var catppt: String
    /// util-linux; applies the CPU and memory rlimits before running the extractor.
    public var prlimit: String
    /// Where the input file of one run is written (in a private directory removed afterwards).
    public var temporaryDirectory: String

    public init(
        pdfReader: String? = ExternalTools.installedPDFReader,
        pdftotext: String = "/usr/bin/pdftotext", pdfdetach: String = "/usr/bin/pdfdetach",
        catdoc: String = "/usr/bin/catdoc",
        xls2csv: String = "/usr/bin/xls2csv", catppt: String = "/usr/bin/catppt",
        prlimit: String = "/usr/bin/prlimit", temporaryDirectory: String = "/tmp"
    ) {
        self.pdfReader = pdfReader
        self.pdftotext = pdftotext
        self.pdfdetach = pdfdetach
        self.catdoc = catdoc
        self.xls2csv = xls2csv
        self.catppt = catppt
        self.prlimit = prlimit
        self.temporaryDirectory = temporaryDirectory
    }

    /// sluice-pdf beside the running program (as in a build directory), or where the install
    /// puts it (lib/sluice under the program's prefix).
    public static let installedPDFReader: String? = {
        var buffer = [CChar](repeating: 0, count: Int(PATH_MAX) + 1)
        let length = readlink("/proc/self/exe", &buffer, buffer.count - 1)
        var candidates = ["/usr/local/lib/sluice/sluice-pdf", "/usr/lib/sluice/sluice-pdf"]
        if length > 0 {
            let program = String(
                decoding: buffer[0..<length].map { UInt8(bitPattern: $0) }, as: UTF8.self)
            if let slash = program.lastIndex(of: "/") {
                let directory = String(program[..<slash])
                candidates.insert(directory + "/../lib/sluice/sluice-pdf", at: 0)
                candidates.insert(directory + "/sluice-pdf", at: 0)
            }
        }
        return candidates.first { access($0, X_OK) == 0 }
    }()
}
