// The one call the milter and `sluice scan` make per message: scan it and decide. The
// protocol lets the daemon swap the whole inspector on reload, and lets tests put a failing
// one in its place.

import Foundation
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
    /// Sending volume per sender, shared across reloads; nil when not counted.
    public let volume: (any VolumeCounter)?

    /// Builds the scanner and compiles the policy; throws for a dictionary or a rule that
    /// does not compile.
    public init(
        configuration: Configuration, volume: (any VolumeCounter)? = nil
    ) throws(ConfigError) {
        self.volume = volume
        do {
            self.scanner = try MessageScanner(settings: Self.scannerSettings(configuration))
        } catch {
            throw ConfigError(
                file: configuration.path ?? "(defaults)", line: 0, key: "dictionaries",
                message: error.description)
        }
        self.policy = try Policy(
            configuration: configuration,
            catalog: FactCatalog(detectors: self.scanner.detectors, extra: VolumeFacts.kinds))
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
        guard let volume = self.volume else {
            return Inspection(
                report: report, decision: self.policy.decide(report, envelope: envelope))
        }
        // Counted before deciding, so the message that crosses a limit is the one caught.
        let sender = SenderKey.normalize(
            authenticatedUser: envelope.authenticatedUser, sender: envelope.sender)
        let external = envelope.recipients.filter(self.policy.scope.isExternal)
        let observation = VolumeObservation(
            recipients: envelope.recipients.count, externalRecipients: external.count,
            externalDomains: Array(Set(external.compactMap { Scope.domain(of: $0) })),
            bytes: report.messageSize,
            attachmentBytes: report.attachments.filter { !$0.path.contains("/") }
                .reduce(0) { $0 + $1.size })
        let now = Date()
        let facts = volume.record(observation, sender: sender, at: now)
        let decision = self.policy.decide(report, envelope: envelope, extraFacts: facts.values)
        if decision.action == .reject || decision.action == .quarantine
            || decision.action == .discard
        {
            volume.recordBlocked(sender: sender, at: now)
        }
        return Inspection(report: report, decision: decision)
    }
}
