// The outcome of policy for one message: the action, the reply the client gets, the rules
// that fired and the headers to add. The milter carries it out; `sluice scan` prints it.

/// A header field to add to a message.
public struct HeaderField: Equatable, Sendable {
    public var name: String
    public var value: String

    public init(name: String, value: String) {
        self.name = name
        self.value = value
    }
}

/// What to do with one message, and why.
public struct Decision: Equatable, Sendable {
    public var action: Action
    /// The reply for reject and tempfail, with the reference id already in its text.
    public var reply: SMTPReply?
    /// Names of the rules that fired, in configuration order.
    public var rules: [String]
    public var reference: ReferenceID
    public var addedHeaders: [HeaderField]
    /// What enforcement would do; differs from `action` in monitor mode.
    public var intendedAction: Action
    /// Who is told: `admins`, `sender`, `webhook:NAME`.
    public var notify: [String] = []
    /// Addresses that get a compliance copy.
    public var bcc: [String] = []
    /// Fired rules on sending volume, with how long one alert per sender covers.
    public var alertWindows: [String: Double] = [:]
    /// External recipients removed so the message can go to the internal ones.
    public var removedRecipients: [String] = []

    public init(
        action: Action, reply: SMTPReply? = nil, rules: [String] = [],
        reference: ReferenceID = .random(), addedHeaders: [HeaderField] = []
    ) {
        self.action = action
        self.reply = reply
        self.rules = rules
        self.reference = reference
        self.addedHeaders = addedHeaders
        self.intendedAction = action
    }
}
