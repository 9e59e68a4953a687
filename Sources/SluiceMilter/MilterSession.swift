// The state of one MTA connection: connection facts that last for the whole SMTP session,
// and the message being received. libmilter calls back for one connection from one thread
// at a time, so a session needs no lock; it is reached through `smfi_setpriv`.

import Foundation
import SluicePolicy

/// Everything Sluice knows about one milter connection.
final class MilterSession {
    /// Connection facts plus the current message's envelope.
    var envelope = Envelope()
    /// The message's header and body bytes; nil until the first header arrives.
    var spool: MessageSpool?
    /// A failure while collecting the message, answered at end of message.
    var failure: (any Error)?
    /// Whether the MTA agreed to the no-reply protocol, so stages return `SMFIS_NOREPLY`.
    var noReply = false
    /// The Message-ID header of the current message, for the audit trail.
    var messageID: String?
    /// Whether header values arrive with their original leading white space.
    var leadingSpace = false

    /// Forgets the current message but keeps the connection facts.
    func resetMessage() {
        self.spool?.discard()
        self.spool = nil
        self.failure = nil
        self.messageID = nil
        self.envelope.sender = ""
        self.envelope.recipients = []
        self.envelope.authenticatedUser = nil
        self.envelope.queueID = nil
    }

    /// The spool, created on first use with the current limits.
    func spool(memoryLimit: Int, directory: String) -> MessageSpool {
        if let spool = self.spool {
            return spool
        }
        let spool = MessageSpool(memoryLimit: memoryLimit, directory: directory)
        self.spool = spool
        return spool
    }

    /// Records the first failure of the message; later ones add nothing new.
    func fail(_ error: any Error) {
        if self.failure == nil {
            self.failure = error
        }
    }
}
