// The volume counter of one relay: every sender's history in memory behind one lock, saved
// to a state file periodically and at shutdown so a restart does not reset limits.

import Foundation
import Synchronization

/// Counts senders' volume in this process.
public final class InMemoryVolumeCounter: VolumeCounter {
    private let histories: Mutex<[String: SenderHistory]>
    private let anomalyFactor: Double
    private let anomalyFloor: Int

    public init(anomalyFactor: Double = 5, anomalyFloor: Int = 20) {
        self.histories = Mutex([:])
        self.anomalyFactor = anomalyFactor
        self.anomalyFloor = anomalyFloor
    }

    public func record(
        _ observation: VolumeObservation, sender: String, at time: Date
    ) -> VolumeFacts {
        let seconds = Int(time.timeIntervalSince1970)
        return self.histories.withLock { histories in
            var history = histories[sender] ?? SenderHistory(at: seconds)
            history.advance(to: seconds)
            history.add(observation)
            histories[sender] = history
            return history.facts(anomalyFactor: self.anomalyFactor, anomalyFloor: self.anomalyFloor)
        }
    }

    public func recordBlocked(sender: String, at time: Date) {
        let seconds = Int(time.timeIntervalSince1970)
        self.histories.withLock { histories in
            var history = histories[sender] ?? SenderHistory(at: seconds)
            history.advance(to: seconds)
            history.addBlocked()
            histories[sender] = history
        }
    }

    public func top(_ count: Int, window: Int, at time: Date) -> [SenderVolume] {
        let seconds = Int(time.timeIntervalSince1970)
        let all = self.histories.withLock { histories -> [SenderVolume] in
            histories.map { sender, stored in
                var history = stored
                history.advance(to: seconds)
                return SenderVolume(
                    sender: sender,
                    facts: history.facts(
                        anomalyFactor: self.anomalyFactor, anomalyFloor: self.anomalyFloor))
            }
        }
        let measure: (VolumeFacts) -> Int = {
            window <= 60
                ? $0.messagesLastMinute
                : window <= 3600 ? $0.messagesLastHour : $0.messagesLastDay
        }
        return all.filter { measure($0.facts) > 0 }
            .sorted {
                measure($0.facts) > measure($1.facts)
                    || (measure($0.facts) == measure($1.facts) && $0.sender < $1.sender)
            }
            .prefix(count).map { $0 }
    }

    /// The number of senders with history.
    public var senderCount: Int {
        self.histories.withLock { $0.count }
    }

    // MARK: - State file

    /// Writes every history to `path` atomically.
    public func save(to path: String) throws {
        let snapshot = self.histories.withLock { $0 }
        var data = Data("SLUICEVOLUME1\n".utf8)
        VolumeStateFile.append(UInt32(snapshot.count), to: &data)
        for (sender, history) in snapshot {
            VolumeStateFile.write(sender: sender, history: history, to: &data)
        }
        try data.write(to: URL(fileURLWithPath: path), options: .atomic)
    }

    /// Reads histories saved by `save(to:)`; a missing file is an empty start.
    public func load(from path: String) throws {
        guard FileManager.default.fileExists(atPath: path) else {
            return
        }
        let data = try Data(contentsOf: URL(fileURLWithPath: path))
        let loaded = try VolumeStateFile.read(data)
        self.histories.withLock { $0 = loaded }
    }
}
