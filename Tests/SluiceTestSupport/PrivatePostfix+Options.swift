// What a test can choose about its private Postfix: the next hop, the milters and how Postfix
// treats them, and any further main.cf lines. Timeouts default short so a hung milter fails
// a test in seconds, not minutes.

import Foundation

extension PrivatePostfix {
    /// Settings for one private instance. Only `relayPort` is required.
    public struct Options: Sendable {
        /// Port of the next hop on 127.0.0.1 (usually `SMTPSink.port`).
        public var relayPort: UInt16
        /// `smtpd_milters`, such as "unix:/tmp/sluice-test-x/milter.sock"; nil for none.
        public var milters: String?
        /// `non_smtpd_milters`, for mail submitted with sendmail(1); nil for none.
        public var nonSMTPDMilters: String?
        /// `milter_default_action`: what Postfix does when the milter fails.
        public var milterDefaultAction = "tempfail"
        public var milterProtocol = 6
        /// Seconds: `milter_connect_timeout`, `milter_command_timeout`,
        /// `milter_content_timeout` (Postfix defaults are 30, 30 and 300).
        public var milterConnectTimeout = 5
        public var milterCommandTimeout = 10
        public var milterContentTimeout = 30
        /// Appended to main.cf as they are; a later line overrides an earlier one.
        public var extraMainCF: [String] = []
        /// Seconds to wait for the instance to answer on its SMTP port.
        public var startTimeout: TimeInterval = 30

        public init(relayPort: UInt16, milters: String? = nil, extraMainCF: [String] = []) {
            self.relayPort = relayPort
            self.milters = milters
            self.extraMainCF = extraMainCF
        }
    }
}
