// One scan of one message: the bytes go in, a `ScanReport` comes out. MIME parsing gives
// the texts a recipient would read and the attachments; extraction opens attachments and
// archives; detection runs dictionaries and identifier validators over all the text. The
// scanner is built once per configuration load and shared by every connection.

import Foundation
import SluiceDetect
import SluiceExtract
import SluiceMIME

/// Scans whole messages for the configured detectors.
public struct MessageScanner: Sendable {
    /// The detector id of the configuration's own keyword list.
    public static let configKeywordDetector = "keyword:config"

    public let settings: ScannerSettings
    private let engine: DetectionEngine
    private let extractor: Extractor

    /// Loads the dictionaries and compiles the matcher (or loads it from the cache).
    public init(settings: ScannerSettings) throws(ScannerError) {
        self.settings = settings
        var lists: [TermList] = []
        if let directory = settings.dictionaries {
            var isDirectory: ObjCBool = false
            let exists = FileManager.default.fileExists(
                atPath: directory, isDirectory: &isDirectory)
            if exists && isDirectory.boolValue {
                do {
                    lists = try DictionaryDirectory(path: directory).load()
                } catch {
                    throw ScannerError("\(error)")
                }
            } else if settings.dictionariesRequired {
                throw ScannerError("\(directory): no such dictionary directory")
            }
        }
        if !settings.keywords.isEmpty {
            lists.append(
                TermList(name: "config", file: "[detect] keywords", lines: settings.keywords))
        }
        do {
            self.engine = try DetectionEngine(
                dictionaries: lists,
                options: DetectionEngine.Options(cacheDirectory: settings.cacheDirectory))
        } catch {
            throw ScannerError("\(error)")
        }
        self.extractor = Extractor(limits: settings.extractionLimits)
    }

    /// A scanner with only the configuration's keyword list, for tests and defaults.
    public init(keywords: [String]) throws(ScannerError) {
        try self.init(settings: ScannerSettings(keywords: keywords))
    }

    /// A value that changes whenever a dictionary in `directory` is added, removed or
    /// rewritten; nil when the directory cannot be read.
    public static func dictionaryStamp(_ directory: String) -> String? {
        try? DictionaryDirectory(path: directory).modificationStamp()
    }

    /// The ids of every detector this scanner runs, which rules may name.
    public var detectors: Set<String> {
        var ids = Set(IdentifierKind.allCases.map { Detector.identifier($0).id })
        for list in self.engine.dictionaries {
            ids.insert(Detector.keyword(list.name).id)
        }
        ids.insert(Self.configKeywordDetector)
        return ids
    }

    /// Scans a message given as its raw bytes (header and body). With `keepTexts`, the
    /// report also carries every text that was read, for `sluice scan --text`.
    public func scan(_ message: UnsafeRawBufferPointer, keepTexts: Bool = false) -> ScanReport {
        let parsed = MIMEMessage(parsing: message, limits: self.settings.mimeLimits)
        var texts = parsed.texts.map { ScanText(location: $0.source.description, text: $0.text) }

        let attachments = parsed.parts.filter(\.isAttachment).map {
            Attachment(
                name: $0.filename, declaredType: $0.contentType, path: $0.path,
                bytes: $0.content)
        }
        let extraction = self.extractor.extract(attachments)
        for item in extraction.items {
            if !item.text.isEmpty {
                texts.append(ScanText(location: item.path, text: item.text))
            }
            if item.depth > 0, let name = item.name {
                texts.append(ScanText(location: "filename:\(item.path)", text: name))
            }
        }
        let detection = self.engine.scan(texts: texts)

        var report = ScanReport(messageSize: message.count)
        report.subject = parsed.subject
        report.messageID = parsed.messageID
        report.headerFrom = parsed.from
        report.headerRecipients = [parsed.to, parsed.cc].compactMap { $0 }
        report.findings = detection.findings.map(Self.finding)
        report.distinctPeople = detection.findings.compactMap(\.distinctPeople).max() ?? 0
        report.attachments = extraction.items.map(Self.summary)
        report.attachments += Self.unreadableParts(parsed)
        report.encrypted = parsed.parts.contains { $0.flags.contains(.encrypted) }
        report.incomplete = parsed.limitHits.map { "\($0)" } + extraction.limitHits.map { "\($0)" }
        if !detection.isComplete {
            report.incomplete.append("detection stopped early")
        }
        report.parts = parsed.parts.map(Self.part)
        if keepTexts {
            report.texts = texts.map { ScannedText(location: $0.location, text: $0.text) }
        }
        return report
    }

    private static func finding(_ finding: SluiceDetect.Finding) -> Finding {
        let confidence: Double
        switch finding.confidence {
        case .low: confidence = 0.3
        case .medium: confidence = 0.6
        case .high: confidence = 0.9
        }
        return Finding(
            detector: finding.detector.id, count: finding.count, confidence: confidence,
            locations: finding.locations, samples: finding.samples)
    }

    private static func summary(_ item: ExtractedItem) -> AttachmentSummary {
        AttachmentSummary(
            name: item.name ?? "", path: item.path, size: item.size,
            declaredType: item.declaredType, detectedType: item.detectedType,
            extension: item.fileExtension, groups: item.groups.map(\.rawValue).sorted(),
            encrypted: item.encrypted, scanned: item.scanned, typeMismatch: item.typeMismatch,
            problem: item.problem.map { "\($0)" })
    }

    /// Parts that carry content nobody can read here (fragments, external bodies, S/MIME and
    /// PGP encryption), reported like unscannable attachments so policy sees them.
    private static func unreadableParts(_ message: MIMEMessage) -> [AttachmentSummary] {
        let unreadable: PartFlags = [.encrypted, .unscannable, .partial, .externalBody]
        return message.parts.filter { !$0.isAttachment && !$0.flags.isDisjoint(with: unreadable) }
            .map { part in
                AttachmentSummary(
                    name: part.filename ?? "", path: part.path, size: part.decodedSize,
                    declaredType: part.contentType, detectedType: part.contentType,
                    groups: part.flags.contains(.encrypted) ? ["encrypted"] : [],
                    encrypted: part.flags.contains(.encrypted), scanned: false,
                    problem: part.flags.intersection(unreadable).names.joined(separator: ", "))
            }
    }

    private static func part(_ part: MessagePart) -> PartSummary {
        PartSummary(
            path: part.path, type: part.contentType, charset: part.textCharset,
            filename: part.filename, size: part.decodedSize, flags: part.flags.names)
    }
}
