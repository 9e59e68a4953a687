// What a scanner is built from: where the dictionaries are, the configuration's own keyword
// list, the compiled-matcher cache, and the limits for reading one message.

import SluiceExtract
import SluiceMIME

/// The inputs of a `MessageScanner`.
public struct ScannerSettings: Sendable {
    /// The directory of `NAME.txt` keyword lists; nil for none.
    public var dictionaries: String?
    /// A missing dictionary directory is an error only when it was asked for explicitly.
    public var dictionariesRequired = false
    public var cacheDirectory: String?
    /// Terms reported as `keyword:config`.
    public var keywords: [String] = []
    public var mimeLimits = MIMELimits()
    public var extractionLimits = ExtractionLimits()

    public init(
        dictionaries: String? = nil, keywords: [String] = [], cacheDirectory: String? = nil
    ) {
        self.dictionaries = dictionaries
        self.keywords = keywords
        self.cacheDirectory = cacheDirectory
    }

    /// Sets the reading limits from plain values (sizes in bytes, time in seconds).
    public mutating func setLimits(
        mimeDepth: Int, mimeParts: Int, decodedSize: Int, headerSize: Int, archiveDepth: Int,
        archiveMembers: Int, expandedSize: Int, expansionRatio: Int, scanTime: Double
    ) {
        self.mimeLimits = MIMELimits(
            maxDepth: mimeDepth, maxParts: mimeParts, maxDecodedBytes: decodedSize,
            maxHeaderBytes: headerSize)
        self.extractionLimits.maxDepth = archiveDepth
        self.extractionLimits.maxMembersPerArchive = archiveMembers
        self.extractionLimits.maxTotalBytes = expandedSize
        self.extractionLimits.maxExpansionRatio = expansionRatio
        self.extractionLimits.timeBudget = .milliseconds(Int(scanTime * 1000))
    }
}

/// A scanner that could not be built: a dictionary line that does not compile, or a
/// dictionary directory that cannot be read.
public struct ScannerError: Error, CustomStringConvertible, Sendable {
    public var description: String

    public init(_ description: String) {
        self.description = description
    }
}
