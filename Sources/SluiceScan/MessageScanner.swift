// One scan of one message: the bytes go in, a `ScanReport` comes out. The scanner is built
// once per configuration load and shared by every connection, so it holds no mutable state.

/// Scans whole messages for the configured detectors.
public struct MessageScanner: Sendable {
    /// The detector id of the configuration's literal keyword list.
    public static let configKeywordDetector = "keyword:config"

    private let keywords: KeywordMatcher

    public init(keywords: [String]) {
        self.keywords = KeywordMatcher(terms: keywords)
    }

    /// The ids of every detector this scanner runs, which rules may name.
    public var detectors: Set<String> {
        [Self.configKeywordDetector]
    }

    /// Scans a message given as its raw bytes (header and body).
    public func scan(_ message: UnsafeRawBufferPointer) -> ScanReport {
        var report = ScanReport(messageSize: message.count)
        let hits = self.keywords.matches(in: message)
        if !hits.isEmpty {
            report.findings.append(
                Finding(
                    detector: Self.configKeywordDetector, count: hits.count,
                    samples: Array(hits.prefix(5))))
        }
        return report
    }
}
