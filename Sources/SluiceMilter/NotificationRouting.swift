// From a decision to notifications: which destinations a rule's `notify` names, and what
// the notification says. The sender is told only when the sender is internal, so no
// notice ever goes to an outside address.

import SluiceNotify
import SluicePolicy
import SluiceScan

enum NotificationRouting {
    /// Builds the queue a configuration describes, or nil when nothing can be notified.
    static func notifier(_ configuration: Configuration, logger: Logger) -> Notifier? {
        let usesNotify = configuration.rules.contains { !$0.notify.isEmpty }
        guard usesNotify else {
            return nil
        }
        let config = configuration.notify
        var settings = NotifySettings()
        settings.administrators = config.administrators
        settings.from = config.from
        settings.language = NotificationLanguage(rawValue: config.language) ?? .english
        settings.digestThreshold = config.digestThreshold
        settings.maxAttempts = config.maxAttempts
        settings.retryDelay = config.retryDelay
        let transport = NetworkTransport(relayHost: config.relayHost, relayPort: config.relayPort)
        return Notifier(settings: settings, transport: transport) { logger.warning($0) }
    }

    /// The destinations for a decision.
    static func targets(
        _ decision: Decision, envelope: Envelope, configuration: Configuration
    ) -> [NotificationTarget] {
        var targets: [NotificationTarget] = []
        for name in decision.notify {
            switch name {
            case "admins":
                targets.append(.administrators)
            case "sender":
                let sender = envelope.sender
                if !sender.isEmpty && !configuration.scope.isExternal(sender) {
                    targets.append(.sender(sender))
                }
            default:
                let webhookName = String(name.dropFirst("webhook:".count))
                if let webhook = configuration.webhooks[webhookName] {
                    targets.append(
                        .webhook(
                            name: webhook.name, url: webhook.url,
                            format: WebhookFormat(rawValue: webhook.format) ?? .generic))
                }
            }
        }
        return targets
    }

    static func event(_ inspection: Inspection, envelope: Envelope) -> NotificationEvent {
        let decision = inspection.decision
        return NotificationEvent(
            reference: decision.reference.description, action: decision.action.rawValue,
            rules: decision.rules, sender: envelope.sender, recipients: envelope.recipients,
            subject: inspection.report.subject, queueID: envelope.queueID,
            findings: inspection.report.findings.map {
                NotifiedFinding(detector: $0.detector, count: $0.count, samples: $0.samples)
            })
    }
}
