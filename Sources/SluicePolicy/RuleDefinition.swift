// A `[rule NAME]` section as written: its condition text (compiled later, once the
// detectors are known) and what happens when it fires.

/// One rule of the policy, before its conditions are compiled.
public struct RuleDefinition: Equatable, Sendable {
    public var name: String
    public var line: Int
    /// The `when` entry; nil only in a rule `check-config` warns about.
    public var when: ConfigEntry?
    public var unless: ConfigEntry?
    public var action: Action
    /// The reply for reject and tempfail; nil means the `[policy]` default.
    public var reply: SMTPReply?
    /// `admins`, `sender`, `webhook:NAME`.
    public var notify: [String]
    public var addHeader: HeaderField?
    /// A compliance copy goes to this address.
    public var bcc: String?

    public init(
        name: String, line: Int, when: ConfigEntry?, unless: ConfigEntry? = nil,
        action: Action, reply: SMTPReply? = nil, notify: [String] = [],
        addHeader: HeaderField? = nil, bcc: String? = nil
    ) {
        self.name = name
        self.line = line
        self.when = when
        self.unless = unless
        self.action = action
        self.reply = reply
        self.notify = notify
        self.addHeader = addHeader
        self.bcc = bcc
    }
}
