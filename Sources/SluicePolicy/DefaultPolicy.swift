// The policy Sluice applies when no configuration file is given (`sluice scan` on a
// workstation), identical to the rules shipped in deploy/sluice.conf. A test keeps the two
// the same.

enum DefaultPolicy {
    /// The `[rule …]` sections of the default configuration.
    static let text = """
        [rule block-executables]
        when = attachment.group == executable
        action = reject
        reply = 550 5.7.1 Executable attachments may not be sent

        [rule unscannable-external]
        when = (attachment.encrypted or attachment.unscannable or message.incomplete)
          and recipients.external
        action = quarantine
        notify = admins

        [rule confidential-external]
        when = keyword:confidential >= 1 and recipients.external
        action = quarantine
        notify = admins

        [rule personal-data-external]
        when = (cn-resident-id >= 1 or bank-card >= 1 or iban >= 1 or us-ssn >= 1)
          and recipients.external
        action = quarantine
        notify = admins

        [rule secrets-external]
        when = (private-key >= 1 or cloud-credential >= 1) and recipients.external
        action = quarantine
        notify = admins

        [rule bulk-contacts-external]
        when = cn-mobile >= 20 and recipients.external
        action = quarantine
        notify = admins

        [rule contracts-external]
        when = keyword:contracts >= 1 and recipients.external
        action = monitor
        notify = admins
        """
}
