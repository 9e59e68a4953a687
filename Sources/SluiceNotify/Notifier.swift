// The background queue for notifications. `submit` never blocks the SMTP transaction: it
// queues and returns. One worker thread delivers, retries failures with exponential
// back-off, and folds bursts (more than `digestThreshold` per minute for one destination)
// into a single digest at the end of the minute.

import Foundation

/// Settings of the notification queue.
public struct NotifySettings: Equatable, Sendable {
    public var administrators: [String] = []
    public var from = "sluice@localhost"
    public var language = NotificationLanguage.english
    /// Notifications per destination and window before the rest waits for a digest.
    public var digestThreshold = 10
    /// The digest window in seconds.
    public var digestWindow: Double = 60
    public var maxAttempts = 8
    /// Seconds before the first retry; doubled for each further one, at most 10 minutes.
    public var retryDelay: Double = 5
    /// Queued notifications beyond this are dropped (and counted) rather than grow memory.
    public var queueLimit = 10_000

    public init() {}
}

/// Counters of the notification queue.
public struct NotifierCounts: Equatable, Sendable {
    public var queued = 0
    public var delivered = 0
    public var retried = 0
    public var failed = 0
    public var dropped = 0
}

/// Delivers notifications in the background.
public final class Notifier: @unchecked Sendable {
    private struct Job {
        var target: NotificationTarget
        var events: [NotificationEvent]
        var attempts = 0
        var due: Date
    }

    private struct Window {
        var start: Date
        var sent = 0
        var held: [NotificationEvent] = []
    }

    private let settings: NotifySettings
    private let transport: any NotificationTransport
    private let template: NotificationTemplate
    private let condition = NSCondition()
    private var jobs: [Job] = []
    private var windows: [String: (target: NotificationTarget, window: Window)] = [:]
    private var tally = NotifierCounts()
    private var running = true
    /// Called with a line to log when a delivery fails for good or a job is dropped.
    private let report: @Sendable (String) -> Void

    public init(
        settings: NotifySettings, transport: any NotificationTransport,
        report: @escaping @Sendable (String) -> Void = { _ in }
    ) {
        self.settings = settings
        self.transport = transport
        self.template = NotificationTemplate(language: settings.language)
        self.report = report
        let worker = Thread { [weak self] in self?.work() }
        worker.name = "sluice-notify"
        worker.start()
    }

    /// Queues `event` for each target and returns at once.
    public func submit(_ event: NotificationEvent, to targets: [NotificationTarget]) {
        self.condition.lock()
        defer {
            self.condition.signal()
            self.condition.unlock()
        }
        let now = Date()
        for target in targets {
            var entry = self.windows[target.key] ?? (target, Window(start: now))
            if now.timeIntervalSince(entry.window.start) >= self.settings.digestWindow {
                self.flush(&entry, now: now)
                entry.window = Window(start: now)
            }
            if entry.window.sent < self.settings.digestThreshold {
                entry.window.sent += 1
                self.enqueue(Job(target: target, events: [event], due: now))
            } else {
                entry.window.held.append(event)
            }
            self.windows[target.key] = entry
        }
    }

    /// The queue's counters so far.
    public var counts: NotifierCounts {
        self.condition.lock()
        defer { self.condition.unlock() }
        var counts = self.tally
        counts.queued =
            self.jobs.count
            + self.windows.values.reduce(0) {
                $0 + $1.window.held.count
            }
        return counts
    }

    /// Stops the worker; queued notifications are abandoned.
    public func stop() {
        self.condition.lock()
        self.running = false
        self.condition.signal()
        self.condition.unlock()
    }

    private func enqueue(_ job: Job) {
        if self.jobs.count >= self.settings.queueLimit {
            self.tally.dropped += 1
            self.report("notify: queue full, dropped a notification to \(job.target)")
            return
        }
        self.jobs.append(job)
    }

    /// Turns a finished window's held events into one digest job.
    private func flush(
        _ entry: inout (target: NotificationTarget, window: Window), now: Date
    ) {
        guard !entry.window.held.isEmpty else {
            return
        }
        self.enqueue(Job(target: entry.target, events: entry.window.held, due: now))
        entry.window.held = []
    }

    private func work() {
        while true {
            self.condition.lock()
            guard self.running else {
                self.condition.unlock()
                return
            }
            let now = Date()
            for key in Array(self.windows.keys) {
                if var entry = self.windows[key],
                    now.timeIntervalSince(entry.window.start) >= self.settings.digestWindow
                {
                    self.flush(&entry, now: now)
                    if entry.window.held.isEmpty && entry.window.sent == 0 {
                        self.windows[key] = nil
                    } else {
                        entry.window = Window(start: now)
                        self.windows[key] = entry
                    }
                }
            }
            guard let index = self.jobs.indices.min(by: { self.jobs[$0].due < self.jobs[$1].due }),
                self.jobs[index].due <= now
            else {
                let next = self.jobs.map(\.due).min() ?? now.addingTimeInterval(1)
                _ = self.condition.wait(until: min(next, now.addingTimeInterval(1)))
                self.condition.unlock()
                continue
            }
            var job = self.jobs.remove(at: index)
            self.condition.unlock()

            let failure = self.deliver(job)

            self.condition.lock()
            if let failure {
                job.attempts += 1
                if job.attempts >= self.settings.maxAttempts {
                    self.tally.failed += 1
                    self.report(
                        "notify: giving up on \(job.target) after \(job.attempts) attempts:"
                            + " \(failure)")
                } else {
                    self.tally.retried += 1
                    self.report(
                        "notify: attempt \(job.attempts) to \(job.target) failed: \(failure)")
                    let delay = min(
                        600, self.settings.retryDelay * pow(2, Double(job.attempts - 1)))
                    job.due = Date().addingTimeInterval(delay)
                    self.jobs.append(job)
                }
            } else {
                self.tally.delivered += 1
            }
            self.condition.unlock()
        }
    }

    /// Sends one job; returns the error, if any.
    private func deliver(_ job: Job) -> (any Error)? {
        let text = self.text(for: job)
        do {
            switch job.target {
            case .administrators:
                guard !self.settings.administrators.isEmpty else {
                    return nil
                }
                try self.transport.sendMail(
                    from: self.settings.from, to: self.settings.administrators,
                    subject: text.subject, body: text.body)
            case .sender(let address):
                let mail =
                    job.events.count == 1
                    ? self.template.forSender(job.events[0]) : text
                try self.transport.sendMail(
                    from: self.settings.from, to: [address], subject: mail.subject,
                    body: mail.body)
            case .webhook(_, let url, let format):
                try self.transport.post(
                    url: url, body: format.body(text: text.body, events: job.events))
            }
            return nil
        } catch {
            return error
        }
    }

    private func text(for job: Job) -> (subject: String, body: String) {
        guard job.events.count > 1 else {
            return self.template.forAdministrators(job.events[0])
        }
        let zh = self.settings.language == .chinese
        let subject =
            zh
            ? "[Sluice] 摘要：\(job.events.count) 封外发邮件被处理"
            : "[Sluice] Digest: \(job.events.count) outbound messages acted on"
        let body = job.events.map { self.template.forAdministrators($0).body }
            .joined(separator: "\n----\n\n")
        return (subject, body)
    }
}
