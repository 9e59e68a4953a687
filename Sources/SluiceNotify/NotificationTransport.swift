// How notifications leave Sluice: SMTP to a relay that does not pass mail back through
// Sluice (so notifications are never scanned or held themselves), and HTTP POST for
// webhooks. A protocol, so the queue's retry logic does not care which.

import Foundation
import SluiceSMTP

#if canImport(FoundationNetworking)
import FoundationNetworking
#endif

/// Sends one notification; throws when the destination did not take it.
public protocol NotificationTransport: Sendable {
    func sendMail(from: String, to: [String], subject: String, body: String) throws
    func post(url: String, body: Data) throws
}

/// SMTP through a relay and HTTP through URLSession, with timeouts.
public struct NetworkTransport: NotificationTransport {
    public var relayHost: String
    public var relayPort: UInt16
    public var timeout: TimeInterval

    public init(relayHost: String, relayPort: UInt16, timeout: TimeInterval = 30) {
        self.relayHost = relayHost
        self.relayPort = relayPort
        self.timeout = timeout
    }

    public func sendMail(from: String, to: [String], subject: String, body: String) throws {
        let message = MailMessage(from: from, to: to, subject: subject, body: body)
        _ = try SMTPTransaction(host: self.relayHost, port: self.relayPort, timeout: self.timeout)
            .send(message.bytes(), from: from, to: to)
    }

    public func post(url: String, body: Data) throws {
        guard let target = URL(string: url) else {
            throw NotifyError("webhook", "invalid URL")
        }
        var request = URLRequest(url: target, timeoutInterval: self.timeout)
        request.httpMethod = "POST"
        request.httpBody = body
        request.setValue("application/json; charset=utf-8", forHTTPHeaderField: "Content-Type")
        let outcome = WebhookOutcome()
        let done = DispatchSemaphore(value: 0)
        let task = URLSession.shared.dataTask(with: request) { _, response, error in
            outcome.set(status: (response as? HTTPURLResponse)?.statusCode, error: error)
            done.signal()
        }
        task.resume()
        guard done.wait(timeout: .now() + self.timeout + 5) == .success else {
            task.cancel()
            throw NotifyError("webhook", "no answer from \(target.host ?? url)")
        }
        let (status, error) = outcome.get()
        if let error {
            throw NotifyError("webhook", "\(target.host ?? url): \(error.localizedDescription)")
        }
        guard let status, (200..<300).contains(status) else {
            throw NotifyError("webhook", "\(target.host ?? url) answered \(status ?? 0)")
        }
    }
}

/// The result of one webhook request, handed from URLSession's thread.
private final class WebhookOutcome: @unchecked Sendable {
    private let lock = NSLock()
    private var status: Int?
    private var error: (any Error)?

    func set(status: Int?, error: (any Error)?) {
        self.lock.withLock {
            self.status = status
            self.error = error
        }
    }

    func get() -> (Int?, (any Error)?) {
        self.lock.withLock { (self.status, self.error) }
    }
}
