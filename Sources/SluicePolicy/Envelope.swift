// The SMTP envelope and connection facts of one message, as the MTA reports them. Policy
// reads it for scope (who sends, to whom, from where); the milter fills it in stage by stage.

/// Who sent a message, to whom, and over which connection.
public struct Envelope: Equatable, Sendable {
    /// The client's IP address, when the connection came over IP.
    public var clientAddress: String?
    /// The client's host name as the MTA resolved it.
    public var clientName: String?
    /// The HELO/EHLO argument.
    public var helo: String?
    /// The SASL login name, when the client authenticated.
    public var authenticatedUser: String?
    /// The MTA's name for the listener that took the message (`{daemon_name}`).
    public var daemonName: String?
    /// The envelope sender without angle brackets; empty for the null sender.
    public var sender: String
    /// Envelope recipients without angle brackets, in the order given.
    public var recipients: [String]
    /// The MTA's queue id, when known.
    public var queueID: String?

    public init(
        sender: String = "", recipients: [String] = [], clientAddress: String? = nil,
        clientName: String? = nil, helo: String? = nil, authenticatedUser: String? = nil,
        daemonName: String? = nil, queueID: String? = nil
    ) {
        self.sender = sender
        self.recipients = recipients
        self.clientAddress = clientAddress
        self.clientName = clientName
        self.helo = helo
        self.authenticatedUser = authenticatedUser
        self.daemonName = daemonName
        self.queueID = queueID
    }
}
