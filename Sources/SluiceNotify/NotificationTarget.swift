// Where a notification goes: mail to administrators, mail to the sender, or a webhook.

/// One destination of notifications.
public enum NotificationTarget: Hashable, Sendable, CustomStringConvertible {
    /// Mail to the configured administrators.
    case administrators
    /// Mail to the internal sender of the message.
    case sender(String)
    /// A POST to a webhook.
    case webhook(name: String, url: String, format: WebhookFormat)

    /// The key under which digests are counted.
    var key: String {
        switch self {
        case .administrators: return "admins"
        case .sender(let address): return "sender:\(address.lowercased())"
        case .webhook(let name, _, _): return "webhook:\(name)"
        }
    }

    public var description: String { self.key }
}
