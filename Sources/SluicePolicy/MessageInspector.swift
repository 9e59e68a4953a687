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

    /// Builds the scanner and compiles the policy; throws for a rule that does not compile.
    public init(configuration: Configuration) throws(ConfigError) {
        self.scanner = MessageScanner(keywords: configuration.detect.keywords)
        self.policy = try Policy(
            configuration: configuration,
            catalog: FactCatalog(detectors: self.scanner.detectors))
    }

    public func inspect(_ message: UnsafeRawBufferPointer, envelope: Envelope) -> Inspection {
        let report = self.scanner.scan(message)
        return Inspection(report: report, decision: self.policy.decide(report, envelope: envelope))
    }
}
