// The typed contents of sluice.conf. `Configuration.load` reads the file, checks every key
// and value, and rejects unknown sections and keys with the file and line, so a running
// daemon never meets a setting it does not understand.

import Foundation

/// What Sluice does with a message when Sluice itself fails while handling it.
public enum FailureAction: String, CaseIterable, Sendable {
    /// Answer 4xx: the client retries later and nothing is lost (the default).
    case tempfail
    /// Let the message through unchecked (fail open).
    case accept
    /// Answer 5xx.
    case reject
}

/// Where log lines go.
public enum LogTarget: String, CaseIterable, Sendable {
    case syslog
    case stderr
}

/// How much is logged: `info` is one line per decision, `debug` adds routine steps.
public enum LogLevel: String, CaseIterable, Sendable, Comparable {
    case error
    case warning
    case info
    case debug

    public static func < (lhs: LogLevel, rhs: LogLevel) -> Bool {
        let order: [LogLevel] = [.error, .warning, .info, .debug]
        return order.firstIndex(of: lhs) ?? 0 < order.firstIndex(of: rhs) ?? 0
    }
}

/// Syslog facilities an administrator may choose.
public enum LogFacility: String, CaseIterable, Sendable {
    case mail, daemon, user
    case local0, local1, local2, local3, local4, local5, local6, local7
}

/// `[milter]`: how the daemon talks to Postfix.
public struct MilterSettings: Equatable, Sendable {
    public var socket = MilterSocket.unix(path: "/run/sluice/sluice.sock")
    public var socketMode: UInt32 = 0o660
    public var socketGroup: String?
    public var listenBacklog = 128
    public var timeout: Double = 600
    public var onError = FailureAction.tempfail
    public var memoryLimit = 8 << 20
    public var spoolDirectory = "/var/lib/sluice/spool"
    public var stopTimeout: Double = 10
    public var pidFile: String?
    /// The unix socket `sluice status` reads.
    public var controlSocket = "/run/sluice/control.sock"

    public init() {}
}

/// `[metrics]`: the Prometheus endpoint.
public struct MetricsSettings: Equatable, Sendable {
    /// `HOST:PORT` to serve `/metrics` on; nil: off.
    public var listen: (host: String, port: UInt16)?

    public init() {}

    public static func == (lhs: MetricsSettings, rhs: MetricsSettings) -> Bool {
        lhs.listen?.host == rhs.listen?.host && lhs.listen?.port == rhs.listen?.port
    }
}

/// `[log]`: where and how much to log.
public struct LogSettings: Equatable, Sendable {
    public var target = LogTarget.syslog
    public var level = LogLevel.info
    public var facility = LogFacility.mail

    public init() {}
}

/// `[detect]`: what the scanner looks for.
public struct DetectSettings: Equatable, Sendable {
    public static let defaultDictionaries = "/etc/sluice/dictionaries"

    /// The directory of `NAME.txt` keyword lists.
    public var dictionaries = Self.defaultDictionaries
    /// Whether `dictionaries` was set (by the file or `--dictionaries`); a missing default
    /// directory just means no dictionaries.
    public var dictionariesExplicit = false
    /// Where the compiled matcher is cached between starts.
    public var cacheDirectory: String? = "/var/lib/sluice/cache"
    /// Literal terms; a message containing any of them (ASCII letters in any case) is a hit
    /// for the detector `keyword:config`.
    public var keywords: [String] = []

    public init() {}
}

/// Whether rules are enforced or only reported.
public enum PolicyMode: String, CaseIterable, Sendable {
    case enforce
    /// Decide and log everything, block nothing: for rolling out a policy.
    case monitor
}

/// `[limits]`: how far Sluice reads into one message before it marks it incomplete.
public struct ScanLimits: Equatable, Sendable {
    public var mimeDepth = 32
    public var mimeParts = 10_000
    public var decodedSize = 256 << 20
    public var headerSize = 1 << 20
    public var archiveDepth = 8
    public var archiveMembers = 2_000
    public var expandedSize = 256 << 20
    public var expansionRatio = 200
    public var scanTime: Double = 30

    public init() {}
}

/// `[policy]`: what happens to a message with findings.
public struct PolicySettings: Equatable, Sendable {
    public var mode = PolicyMode.enforce
    /// When a blocking rule fires only because of external recipients, remove those
    /// recipients and deliver to the internal ones.
    public var splitRecipients = false
    public var keywordAction = Action.reject
    public var rejectReply = SMTPReply(
        code: 550, enhancedCode: "5.7.1",
        text: "Message refused by the data protection policy")
    public var tempfailReply = SMTPReply(
        code: 451, enhancedCode: "4.7.1", text: "Message could not be checked, try again later")
    public var addHeader = false
    public var headerName = "X-Sluice"

    public init() {}
}

/// `[audit]`: the tamper-evident record of every decision.
public struct AuditSettings: Equatable, Sendable {
    /// The audit file; nil when no audit log is kept.
    public var path: String?

    public init() {}
}

/// `[notify]`: who hears about decisions, and how mail to them leaves.
public struct NotifyConfiguration: Equatable, Sendable {
    public static let languages = ["en", "zh-CN"]

    public var administrators: [String] = []
    public var from = "sluice@localhost"
    /// A relay that does not pass mail back through Sluice (a loopback smtpd without milters).
    public var relayHost = "127.0.0.1"
    public var relayPort: UInt16 = 10026
    public var language = "en"
    public var digestThreshold = 10
    public var maxAttempts = 8
    public var retryDelay: Double = 5

    public init() {}
}

/// A `[webhook NAME]` section.
public struct WebhookConfiguration: Equatable, Sendable {
    public static let formats = ["generic", "dingtalk", "wecom", "feishu", "slack"]

    public var name: String
    public var url: String
    public var format: String
}

/// Where quarantined messages go.
public enum QuarantineMode: String, CaseIterable, Sendable {
    /// Sluice's own store: SQLite records and one file per message.
    case store
    /// Postfix's hold queue (`postsuper -r` releases).
    case hold
}

/// `[quarantine]`: the store for held mail and how it is released.
public struct QuarantineSettings: Equatable, Sendable {
    public var mode = QuarantineMode.store
    public var path = "/var/lib/sluice/quarantine"
    /// Released messages are re-injected here: a listener that does not pass them back
    /// through Sluice.
    public var releaseHost = "127.0.0.1"
    public var releasePort: UInt16 = 10026
    /// Held messages older than this are purged (0: never).
    public var retention: Double = 30 * 86_400
    public var encrypt = false
    public var keyFile = "/etc/sluice/quarantine.key"

    public init() {}
}

/// `[volume]`: per-sender counters of sending volume.
public struct VolumeSettings: Equatable, Sendable {
    public var enabled = true
    /// Where counters are saved, so a restart does not reset limits; empty: not saved.
    public var stateFile = "/var/lib/sluice/volume.state"
    public var saveInterval: Double = 60
    /// `sender.rate_anomaly` holds when the last hour is above both the floor and this many
    /// times the sender's usual hourly volume.
    public var anomalyFactor = 5.0
    public var anomalyFloor = 20

    public init() {}
}

/// Everything sluice.conf says, with defaults for what it leaves out.
public struct Configuration: Equatable, Sendable {
    /// Where `sluice` looks for its configuration when no `--config` is given.
    public static let defaultPath = "/etc/sluice/sluice.conf"

    public var milter = MilterSettings()
    public var log = LogSettings()
    public var detect = DetectSettings()
    public var limits = ScanLimits()
    public var policy = PolicySettings()
    public var audit = AuditSettings()
    public var scope = Scope()
    public var notify = NotifyConfiguration()
    public var quarantine = QuarantineSettings()
    public var volume = VolumeSettings()
    public var metrics = MetricsSettings()
    public var webhooks: [String: WebhookConfiguration] = [:]
    public var groups: [String: SenderGroup] = [:]
    /// `[rule NAME]` sections in file order.
    public var rules: [RuleDefinition] = []
    /// The file this came from; nil for built-in defaults.
    public var path: String?
    /// Every setting with its effective value, in the order `check-config` prints them.
    public var effectiveSettings: [EffectiveSetting] = []

    public init() {}

    /// Reads, parses and checks the file at `path`.
    public static func load(path: String) throws(ConfigError) -> Configuration {
        try self.init(file: ConfigFile.load(path: path))
    }

    /// Parses and checks configuration text.
    public static func parse(_ text: String, path: String) throws(ConfigError) -> Configuration {
        try self.init(file: ConfigFile.parse(text, path: path))
    }

    /// The built-in defaults, with the default rules and `effectiveSettings` filled in.
    public static func defaults() -> Configuration {
        let file = try? ConfigFile.parse(DefaultPolicy.text, path: "(defaults)")
        return file.flatMap { try? self.init(file: $0) } ?? Configuration()
    }

    /// Interprets a parsed file.
    public init(file: ConfigFile) throws(ConfigError) {
        let known = [
            "milter", "log", "detect", "policy", "audit", "scope", "groups", "notify", "quarantine",
            "limits", "volume", "metrics",
        ]
        for section in file.sections
        where !known.contains(section.name) && !section.name.hasPrefix("rule ")
            && !section.name.hasPrefix("webhook ")
        {
            throw ConfigError(
                file: file.path, line: section.line,
                message: "unknown section [\(section.name)]")
        }
        for name in known where file.sections.filter({ $0.name == name }).count > 1 {
            let repeated = file.sections.filter { $0.name == name }[1]
            throw ConfigError(
                file: file.path, line: repeated.line, message: "section [\(name)] given twice")
        }
        func reader(_ name: String) -> SectionReader {
            SectionReader(
                file: file.path, sectionName: name,
                section: file.sections.first { $0.name == name })
        }

        self.path = file.path
        var milter = reader("milter")
        self.milter = try Self.readMilter(&milter)
        var log = reader("log")
        self.log = try Self.readLog(&log)
        var detect = reader("detect")
        self.detect = try Self.readDetect(&detect)
        var policy = reader("policy")
        self.policy = try Self.readPolicy(&policy)
        var audit = reader("audit")
        let auditPath = audit.string("path", default: "")
        self.audit.path = auditPath.isEmpty ? nil : auditPath

        var scope = reader("scope")
        self.scope = try Self.readScope(&scope)
        let groups = file.sections.first { $0.name == "groups" }
        self.groups = try Self.readGroups(groups, file: file.path)

        var notify = reader("notify")
        self.notify = try Self.readNotify(&notify)

        var quarantine = reader("quarantine")
        self.quarantine = try Self.readQuarantine(&quarantine)

        var limits = reader("limits")
        self.limits = try Self.readLimits(&limits)

        var volume = reader("volume")
        self.volume = try Self.readVolume(&volume)
        var metrics = reader("metrics")
        if metrics.entry("listen")?.value.isEmpty == false {
            self.metrics.listen = try metrics.hostAndPort("listen", default: ("127.0.0.1", 9145))
        } else {
            metrics.record("listen", "")
        }

        for section in [
            milter, log, detect, policy, audit, scope, notify, quarantine, limits, volume, metrics,
        ] {
            try section.rejectUnknownKeys()
            self.effectiveSettings += section.effective
        }
        for group in self.groups.values.sorted(by: { $0.name < $1.name }) {
            let entries = group.addresses.sorted() + group.domains.sorted().map { "@" + $0 }
            self.effectiveSettings.append(
                EffectiveSetting(
                    section: "groups", key: group.name,
                    value: entries.joined(separator: ", ")))
        }
        for section in file.sections where section.name.hasPrefix("webhook ") {
            var webhook = SectionReader(
                file: file.path, sectionName: section.name, section: section)
            let name = String(section.name.dropFirst("webhook ".count))
            let url = webhook.string("url", default: "")
            guard url.hasPrefix("http://") || url.hasPrefix("https://") else {
                throw ConfigError(
                    file: file.path, line: webhook.entry("url")?.line ?? section.line,
                    key: "url", message: "webhook '\(name)' needs an http:// or https:// url")
            }
            let format = try webhook.value(
                "format", default: "generic",
                expected: "one of " + WebhookConfiguration.formats.joined(separator: ", "),
                render: { $0 }, parse: { WebhookConfiguration.formats.contains($0) ? $0 : nil })
            try webhook.rejectUnknownKeys()
            self.webhooks[name] = WebhookConfiguration(name: name, url: url, format: format)
            self.effectiveSettings += webhook.effective
        }
        for section in file.sections where section.name.hasPrefix("rule ") {
            var rule = SectionReader(
                file: file.path, sectionName: section.name, section: section)
            let definition = try Self.readRule(&rule, section: section)
            if self.rules.contains(where: { $0.name == definition.name }) {
                throw ConfigError(
                    file: file.path, line: section.line,
                    message: "rule '\(definition.name)' defined twice")
            }
            try rule.rejectUnknownKeys()
            try self.checkNotify(definition, reader: &rule)
            self.rules.append(definition)
            self.effectiveSettings += rule.effective
        }
    }

    /// Every `notify` target of a rule must exist: `admins`, `sender` or a defined webhook.
    private func checkNotify(
        _ rule: RuleDefinition, reader: inout SectionReader
    ) throws(ConfigError) {
        guard let entry = reader.entry("notify") else {
            return
        }
        for target in rule.notify where target != "admins" && target != "sender" {
            guard target.hasPrefix("webhook:") else {
                throw reader.error(
                    entry, "unknown target '\(target)': expected admins, sender or webhook:NAME")
            }
            let name = String(target.dropFirst("webhook:".count))
            guard self.webhooks[name] != nil else {
                throw reader.error(entry, "unknown webhook '\(name)': define [webhook \(name)]")
            }
        }
    }

    private static func readLimits(_ reader: inout SectionReader) throws(ConfigError) -> ScanLimits
    {
        var limits = ScanLimits()
        limits.mimeDepth = try reader.integer(
            "mime_depth", default: limits.mimeDepth, range: 1...256)
        limits.mimeParts = try reader.integer(
            "mime_parts", default: limits.mimeParts, range: 1...1_000_000)
        limits.decodedSize = try reader.size("decoded_size", default: limits.decodedSize)
        limits.headerSize = try reader.size("header_size", default: limits.headerSize)
        limits.archiveDepth = try reader.integer(
            "archive_depth", default: limits.archiveDepth, range: 0...64)
        limits.archiveMembers = try reader.integer(
            "archive_members", default: limits.archiveMembers, range: 1...1_000_000)
        limits.expandedSize = try reader.size("expanded_size", default: limits.expandedSize)
        limits.expansionRatio = try reader.integer(
            "expansion_ratio", default: limits.expansionRatio, range: 1...100_000)
        limits.scanTime = try reader.duration("scan_time", default: limits.scanTime)
        return limits
    }

    private static func readVolume(
        _ reader: inout SectionReader
    ) throws(ConfigError)
        -> VolumeSettings
    {
        var settings = VolumeSettings()
        settings.enabled = try reader.bool("enabled", default: settings.enabled)
        settings.stateFile = reader.string("state_file", default: settings.stateFile)
        settings.saveInterval = try reader.duration("save_interval", default: settings.saveInterval)
        settings.anomalyFactor = Double(
            try reader.integer(
                "anomaly_factor", default: Int(settings.anomalyFactor), range: 1...1000))
        settings.anomalyFloor = try reader.integer(
            "anomaly_floor", default: settings.anomalyFloor, range: 0...1_000_000)
        return settings
    }

    private static func readQuarantine(
        _ reader: inout SectionReader
    ) throws(ConfigError) -> QuarantineSettings {
        var settings = QuarantineSettings()
        settings.mode = try reader.choice("mode", default: settings.mode)
        settings.path = reader.string("path", default: settings.path)
        (settings.releaseHost, settings.releasePort) = try reader.hostAndPort(
            "release_relay", default: (settings.releaseHost, settings.releasePort))
        settings.retention = try reader.duration("retention", default: settings.retention)
        settings.encrypt = try reader.bool("encrypt", default: settings.encrypt)
        settings.keyFile = reader.string("key_file", default: settings.keyFile)
        return settings
    }

    private static func readNotify(
        _ reader: inout SectionReader
    ) throws(ConfigError) -> NotifyConfiguration {
        var settings = NotifyConfiguration()
        settings.administrators = try reader.list("admins", default: [])
        settings.from = reader.string("from", default: settings.from)
        (settings.relayHost, settings.relayPort) = try reader.hostAndPort(
            "relay", default: (settings.relayHost, settings.relayPort))
        settings.language = try reader.value(
            "language", default: settings.language, expected: "en or zh-CN", render: { $0 },
            parse: { NotifyConfiguration.languages.contains($0) ? $0 : nil })
        settings.digestThreshold = try reader.integer(
            "digest_threshold", default: settings.digestThreshold, range: 1...10_000)
        settings.maxAttempts = try reader.integer(
            "max_attempts", default: settings.maxAttempts, range: 1...100)
        settings.retryDelay = try reader.duration("retry_delay", default: settings.retryDelay)
        return settings
    }

    private static func readScope(_ reader: inout SectionReader) throws(ConfigError) -> Scope {
        let domains = try reader.list("internal_domains", default: [])
        let networks = try reader.value(
            "internal_networks", default: [IPNetwork](),
            expected: "a list of addresses or networks such as 10.0.0.0/8",
            render: { $0.map(\.description).joined(separator: ", ") },
            parse: { text in
                ConfigValue.list(text).flatMap { items in
                    let networks = items.compactMap(IPNetwork.init)
                    return networks.count == items.count ? networks : nil
                }
            })
        return Scope(internalDomains: domains, internalNetworks: networks)
    }

    private static func readGroups(
        _ section: ConfigSection?, file: String
    ) throws(ConfigError) -> [String: SenderGroup] {
        var groups: [String: SenderGroup] = [:]
        for entry in section?.entries ?? [] {
            let name = entry.key.hasPrefix("group:") ? String(entry.key.dropFirst(6)) : entry.key
            let entries: [String]
            if entry.value.hasPrefix("/") {
                guard let read = SenderGroup.entries(fromFile: entry.value) else {
                    throw ConfigError(
                        file: file, line: entry.line, key: entry.key,
                        message: "cannot read group file \(entry.value)")
                }
                entries = read
            } else {
                guard let list = ConfigValue.list(entry.value) else {
                    throw ConfigError(
                        file: file, line: entry.line, key: entry.key,
                        message: "expected addresses, @domains or a file path")
                }
                entries = list
            }
            groups[name] = SenderGroup(name: name, entries: entries)
        }
        return groups
    }

    private static func readRule(
        _ reader: inout SectionReader, section: ConfigSection
    ) throws(ConfigError) -> RuleDefinition {
        let name = String(section.name.dropFirst("rule ".count))
        guard let actionEntry = reader.entry("action") else {
            throw ConfigError(
                file: reader.file, line: section.line,
                message: "rule '\(name)' has no action")
        }
        let names = Action.allCases.map(\.rawValue).joined(separator: ", ")
        guard let action = Action(rawValue: actionEntry.value.lowercased()) else {
            throw reader.error(
                actionEntry, "expected one of \(names), found '\(actionEntry.value)'")
        }
        reader.record("action", action.rawValue)
        var definition = RuleDefinition(
            name: name, line: section.line, when: reader.entry("when"),
            unless: reader.entry("unless"), action: action)
        for key in ["when", "unless"] {
            if let entry = key == "when" ? definition.when : definition.unless {
                reader.record(key, entry.value)
            }
        }
        if let entry = reader.entry("reply") {
            guard action == .reject || action == .tempfail else {
                throw reader.error(entry, "a reply needs action reject or tempfail")
            }
            guard let reply = SMTPReply(entry.value, permanent: action == .reject) else {
                let example = action == .reject ? "550 5.7.1 TEXT" : "451 4.7.1 TEXT"
                throw reader.error(entry, "expected a reply such as '\(example)'")
            }
            definition.reply = reply
            reader.record("reply", entry.value)
        }
        definition.notify = try reader.list("notify", default: [])
        if let entry = reader.entry("add_header") {
            let pieces = entry.value.split(separator: ":", maxSplits: 1)
            let headerName = pieces.first.map { $0.trimmingCharacters(in: .whitespaces) } ?? ""
            guard pieces.count == 2, Self.isHeaderName(headerName) else {
                throw reader.error(entry, "expected 'Name: value'")
            }
            definition.addHeader = HeaderField(
                name: headerName, value: pieces[1].trimmingCharacters(in: .whitespaces))
            reader.record("add_header", entry.value)
        }
        if let entry = reader.entry("bcc") {
            guard Scope.domain(of: entry.value) != nil, !entry.value.contains(" ") else {
                throw reader.error(entry, "expected an address such as compliance@example.com")
            }
            definition.bcc = entry.value
            reader.record("bcc", entry.value)
        }
        return definition
    }

    private static func readMilter(
        _ reader: inout SectionReader
    ) throws(ConfigError)
        -> MilterSettings
    {
        var settings = MilterSettings()
        settings.socket = try reader.value(
            "socket", default: settings.socket,
            expected: "unix:PATH, inet:PORT@HOST or inet6:PORT@HOST",
            render: { $0.description }, parse: MilterSocket.init)
        settings.socketMode = try reader.value(
            "socket_mode", default: settings.socketMode, expected: "an octal mode such as 0660",
            render: { "0" + String($0, radix: 8) }, parse: ConfigValue.mode)
        let group = reader.string("socket_group", default: "")
        settings.socketGroup = group.isEmpty ? nil : group
        settings.listenBacklog = try reader.integer(
            "listen_backlog", default: settings.listenBacklog, range: 1...65535)
        settings.timeout = try reader.duration("timeout", default: settings.timeout)
        settings.onError = try reader.choice("on_error", default: settings.onError)
        settings.memoryLimit = try reader.size("memory_limit", default: settings.memoryLimit)
        settings.spoolDirectory = reader.string(
            "spool_directory", default: settings.spoolDirectory)
        settings.stopTimeout = try reader.duration("stop_timeout", default: settings.stopTimeout)
        let pidFile = reader.string("pid_file", default: "")
        settings.pidFile = pidFile.isEmpty ? nil : pidFile
        settings.controlSocket = reader.string("control_socket", default: settings.controlSocket)
        return settings
    }

    private static func readLog(_ reader: inout SectionReader) throws(ConfigError) -> LogSettings {
        var settings = LogSettings()
        settings.target = try reader.choice("target", default: settings.target)
        settings.level = try reader.choice("level", default: settings.level)
        settings.facility = try reader.choice("facility", default: settings.facility)
        return settings
    }

    private static func readDetect(
        _ reader: inout SectionReader
    ) throws(ConfigError)
        -> DetectSettings
    {
        var settings = DetectSettings()
        settings.dictionariesExplicit = reader.entry("dictionaries") != nil
        settings.dictionaries = reader.string("dictionaries", default: settings.dictionaries)
        let cache = reader.string("cache_directory", default: settings.cacheDirectory ?? "")
        settings.cacheDirectory = cache.isEmpty ? nil : cache
        settings.keywords = try reader.list("keywords", default: settings.keywords)
        return settings
    }

    private static func readPolicy(
        _ reader: inout SectionReader
    ) throws(ConfigError)
        -> PolicySettings
    {
        var settings = PolicySettings()
        settings.mode = try reader.choice("mode", default: settings.mode)
        settings.splitRecipients = try reader.bool(
            "split_recipients", default: settings.splitRecipients)
        settings.keywordAction = try reader.choice("keyword_action", default: .reject)
        settings.rejectReply = try reader.value(
            "reject_reply", default: settings.rejectReply,
            expected: "a 5xx reply such as '550 5.7.1 TEXT'", render: { $0.description },
            parse: { SMTPReply($0, permanent: true) })
        settings.tempfailReply = try reader.value(
            "tempfail_reply", default: settings.tempfailReply,
            expected: "a 4xx reply such as '451 4.7.1 TEXT'", render: { $0.description },
            parse: { SMTPReply($0, permanent: false) })
        settings.addHeader = try reader.bool("add_header", default: settings.addHeader)
        settings.headerName = try reader.value(
            "header_name", default: settings.headerName, expected: "a header field name",
            render: { $0 }, parse: { Self.isHeaderName($0) ? $0 : nil })
        return settings
    }

    private static func isHeaderName(_ text: String) -> Bool {
        !text.isEmpty && text.utf8.allSatisfy { $0 > 32 && $0 < 127 && $0 != UInt8(ascii: ":") }
    }
}
