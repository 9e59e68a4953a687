// Keeps alerts on sending volume to one per sender, rule and window: the tenth message past
// an hourly limit is refused like the first, but administrators hear about it once.

import Foundation
import Synchronization

final class AlertGate: Sendable {
    private let sent = Mutex<[String: Date]>([:])

    /// Whether an alert for `sender` about `windows` (rule name → seconds) should go out
    /// now; records it when it should.
    func allows(sender: String, windows: [String: Double], at time: Date = Date()) -> Bool {
        self.sent.withLock { sent in
            sent = sent.filter { time.timeIntervalSince($0.value) < 86_400 }
            let due = windows.filter { rule, window in
                guard let last = sent["\(rule)|\(sender)"] else {
                    return true
                }
                return time.timeIntervalSince(last) >= window
            }
            for rule in due.keys {
                sent["\(rule)|\(sender)"] = time
            }
            return !due.isEmpty
        }
    }
}
