// The one call the milter and `sluice scan` make per message: scan it and decide. The
// protocol lets the daemon swap the whole inspector on reload, and lets tests put a failing
// one in its place.

import SluiceScan

/// A scan report with the decision taken on it.
public struct Inspection: Sendable {
    public var report: ScanReport
    public var decision: Decision

    public init(report: ScanReport, decision: Decision) {
        self.report = report
        self.decision = decision
    }
}

/// Scans a message and decides what happens to it.
public protocol MessageInspector: Sendable {
    func inspect(_ message: UnsafeRawBufferPointer, envelope: Envelope) throws -> Inspection
}

/// The inspector a configuration describes: its scanner and its policy.
public struct PolicyInspector: MessageInspector {
    public let scanner: MessageScanner
    public let policy: Policy

    /// Builds the scanner and compiles the policy; throws for a dictionary or a rule that
    /// does not compile.
    public init(configuration: Configuration) throws(ConfigError) {
        do {
            self.scanner = try MessageScanner(settings: Self.scannerSettings(configuration))
        } catch {
            throw ConfigError(
                file: configuration.path ?? "(defaults)", line: 0, key: "dictionaries",
                message: error.description)
        }
        self.policy = try Policy(
            configuration: configuration,
            catalog: FactCatalog(detectors: self.scanner.detectors))
    }

    /// The scanner inputs a configuration describes.
    public static func scannerSettings(_ configuration: Configuration) -> ScannerSettings {
        let detect = configuration.detect
        let limits = configuration.limits
        var settings = ScannerSettings(
            dictionaries: detect.dictionaries, keywords: detect.keywords,
            cacheDirectory: detect.cacheDirectory)
        settings.dictionariesRequired = detect.dictionariesExplicit
        settings.setLimits(
            mimeDepth: limits.mimeDepth, mimeParts: limits.mimeParts,
            decodedSize: limits.decodedSize, headerSize: limits.headerSize,
            archiveDepth: limits.archiveDepth, archiveMembers: limits.archiveMembers,
            expandedSize: limits.expandedSize, expansionRatio: limits.expansionRatio,
            scanTime: limits.scanTime)
        return settings
    }

    public func inspect(_ message: UnsafeRawBufferPointer, envelope: Envelope) -> Inspection {
        self.inspect(message, envelope: envelope, keepTexts: false)
    }

    public func inspect(
        _ message: UnsafeRawBufferPointer, envelope: Envelope, keepTexts: Bool
    ) -> Inspection {
        let report = self.scanner.scan(message, keepTexts: keepTexts)
        return Inspection(report: report, decision: self.policy.decide(report, envelope: envelope))
    }
}
