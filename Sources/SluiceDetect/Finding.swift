// The per-message summary of one detector: how many distinct values, where, how sure, and a
// few masked samples. This is what policy rules, logs and `sluice scan --json` see; it never
// holds an unmasked identifier.

/// What one detector found across the texts of a message.
public struct Finding: Sendable, Equatable {
    /// Samples kept per finding.
    public static let sampleLimit = 3

    public var detector: Detector
    /// Distinct values (identifiers) or distinct matched terms (keywords).
    public var count: Int
    /// Matches in total, repeated values included.
    public var occurrences: Int
    /// The highest confidence of any hit.
    public var confidence: Confidence
    /// The labels of the texts with hits, in scan order.
    public var locations: [String]
    /// Up to `sampleLimit` masked samples.
    public var samples: [String]
    /// Distinct people, where the identifier names one (resident ID numbers).
    public var distinctPeople: Int?

    /// Summarises `hits` per detector, in order of each detector's first hit.
    public static func summarize(_ hits: [Hit]) -> [Finding] {
        var order: [Detector] = []
        var grouped: [Detector: [Hit]] = [:]
        for hit in hits {
            if grouped[hit.detector] == nil {
                order.append(hit.detector)
            }
            grouped[hit.detector, default: []].append(hit)
        }
        return order.compactMap { detector in
            grouped[detector].map { Finding(detector: detector, hits: $0) }
        }
    }

    private init(detector: Detector, hits: [Hit]) {
        var values = Set<Int>()
        var locations: [String] = []
        var samples: [String] = []
        var confidence = Confidence.low
        for hit in hits {
            values.insert(hit.valueKey)
            confidence = max(confidence, hit.confidence)
            if !locations.contains(hit.location) {
                locations.append(hit.location)
            }
            if samples.count < Self.sampleLimit && !hit.sample.isEmpty
                && !samples.contains(hit.sample)
            {
                samples.append(hit.sample)
            }
        }
        self.detector = detector
        self.count = values.count
        self.occurrences = hits.count
        self.confidence = confidence
        self.locations = locations
        self.samples = samples
        self.distinctPeople = detector == .identifier(.residentID) ? values.count : nil
    }
}
