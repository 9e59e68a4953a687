// Counters of the running daemon, for Prometheus (`/metrics`) and `sluice status`: messages
// by action, rule and detector hits, scan times, bytes scanned, reloads, errors, and the
// notification queue. Updated at end of message; read by the control server.

import Foundation
import Synchronization

/// The daemon's counters since start.
final class Metrics: Sendable {
    struct Values {
        var actions: [String: Int] = [:]
        var rules: [String: Int] = [:]
        var detectors: [String: Int] = [:]
        var errors: [String: Int] = [:]
        var bytesScanned = 0
        var reloads = 0
        var reloadFailures = 0
        /// Scan-time histogram: counts of scans at or under each bound (seconds).
        var scanBuckets = [Int](repeating: 0, count: Metrics.bounds.count)
        var scanCount = 0
        var scanSeconds = 0.0
    }

    static let bounds: [Double] = [0.001, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10]

    let started = Date()
    private let values = Mutex(Values())

    func recordDecision(
        action: String, rules: [String], detectors: [String], bytes: Int, seconds: Double
    ) {
        self.values.withLock { values in
            values.actions[action, default: 0] += 1
            for rule in rules {
                values.rules[rule, default: 0] += 1
            }
            for detector in detectors {
                values.detectors[detector, default: 0] += 1
            }
            values.bytesScanned += bytes
            values.scanCount += 1
            values.scanSeconds += seconds
            for (index, bound) in Self.bounds.enumerated() where seconds <= bound {
                values.scanBuckets[index] += 1
            }
        }
    }

    func recordError(_ kind: String) {
        self.values.withLock { $0.errors[kind, default: 0] += 1 }
    }

    func recordReload(succeeded: Bool) {
        self.values.withLock {
            if succeeded {
                $0.reloads += 1
            } else {
                $0.reloadFailures += 1
            }
        }
    }

    var snapshot: Values {
        self.values.withLock { $0 }
    }

    /// The Prometheus text exposition of the counters, plus gauges the caller supplies.
    func exposition(gauges: [(name: String, help: String, value: Double)]) -> String {
        let values = self.snapshot
        var lines: [String] = []
        func family(_ name: String, _ type: String, _ help: String) {
            lines.append("# HELP \(name) \(help)")
            lines.append("# TYPE \(name) \(type)")
        }
        func labelled(_ name: String, _ label: String, _ counts: [String: Int]) {
            for (key, count) in counts.sorted(by: { $0.key < $1.key }) {
                lines.append("\(name){\(label)=\"\(Self.escape(key))\"} \(count)")
            }
        }
        family("sluice_messages_total", "counter", "Messages decided, by action.")
        labelled("sluice_messages_total", "action", values.actions)
        family("sluice_rule_hits_total", "counter", "Messages on which each rule fired.")
        labelled("sluice_rule_hits_total", "rule", values.rules)
        family(
            "sluice_detector_hits_total", "counter",
            "Messages in which each detector found something.")
        labelled("sluice_detector_hits_total", "detector", values.detectors)
        family(
            "sluice_errors_total", "counter", "Internal failures answered with on_error, by kind.")
        labelled("sluice_errors_total", "kind", values.errors)
        family("sluice_scanned_bytes_total", "counter", "Bytes of messages scanned.")
        lines.append("sluice_scanned_bytes_total \(values.bytesScanned)")
        family("sluice_reloads_total", "counter", "Configuration reloads, by result.")
        lines.append("sluice_reloads_total{result=\"ok\"} \(values.reloads)")
        lines.append("sluice_reloads_total{result=\"failed\"} \(values.reloadFailures)")
        family("sluice_scan_seconds", "histogram", "Time to scan and decide one message.")
        for (index, bound) in Self.bounds.enumerated() {
            lines.append("sluice_scan_seconds_bucket{le=\"\(bound)\"} \(values.scanBuckets[index])")
        }
        lines.append("sluice_scan_seconds_bucket{le=\"+Inf\"} \(values.scanCount)")
        lines.append("sluice_scan_seconds_sum \(values.scanSeconds)")
        lines.append("sluice_scan_seconds_count \(values.scanCount)")
        for gauge in gauges {
            family(gauge.name, "gauge", gauge.help)
            lines.append("\(gauge.name) \(gauge.value)")
        }
        return lines.joined(separator: "\n") + "\n"
    }

    private static func escape(_ text: String) -> String {
        text.replacingOccurrences(of: "\\", with: "\\\\").replacingOccurrences(
            of: "\"", with: "\\\""
        )
        .replacingOccurrences(of: "\n", with: "\\n")
    }
}
