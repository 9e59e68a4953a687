// Where the external extractors live. PDF and legacy Office parsers are large C/C++ code bases
// that crash or hang on hostile files, so they run as child processes under `prlimit`.

/// Paths of the programs extraction runs as child processes.
public struct ExternalTools: Sendable, Hashable {
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
        pdftotext: String = "/usr/bin/pdftotext", pdfdetach: String = "/usr/bin/pdfdetach",
        catdoc: String = "/usr/bin/catdoc",
        xls2csv: String = "/usr/bin/xls2csv", catppt: String = "/usr/bin/catppt",
        prlimit: String = "/usr/bin/prlimit", temporaryDirectory: String = "/tmp"
    ) {
        self.pdftotext = pdftotext
        self.pdfdetach = pdfdetach
        self.catdoc = catdoc
        self.xls2csv = xls2csv
        self.catppt = catppt
        self.prlimit = prlimit
        self.temporaryDirectory = temporaryDirectory
    }
}
