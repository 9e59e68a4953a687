// The help texts of `sluice` and its subcommands: what `sluice --help`, `sluice help
// COMMAND` and usage errors print. One table, so the three always agree.

/// Help for one subcommand.
struct CommandHelp {
    var name: String
    var synopsis: String
    var summary: String
    var details: String
}

enum Usage {
    static let version = "0.1.0"

    static let commands: [CommandHelp] = [
        CommandHelp(
            name: "milter",
            synopsis:
                "sluice milter [--config FILE] [--socket SPEC] [--dictionaries DIR] [--foreground]",
            summary: "run the mail filter daemon for Postfix",
            details: """
                Listens on the milter socket from [milter] socket (or --socket, one of
                unix:PATH, inet:PORT@HOST, inet6:PORT@HOST) and inspects every message
                Postfix passes. Without --foreground it detaches and logs to syslog.
                SIGHUP reloads the configuration; SIGTERM stops.

                Options:
                  --config FILE    configuration file (default /etc/sluice/sluice.conf)
                  --socket SPEC    listen here instead of [milter] socket
                  --dictionaries DIR  keyword lists instead of [detect] dictionaries
                  --foreground     stay in the foreground
                """),
        CommandHelp(
            name: "scan",
            synopsis:
                "sluice scan [--config FILE] [--dictionaries DIR] [--sender ADDR]"
                + " [--recipient ADDR]... [--json | --text] [FILE.eml ...]",
            summary: "inspect stored messages the way the daemon would",
            details: """
                Scans each message file (standard input when none is given, or for '-')
                and prints the action policy would take and what was found. Without
                --config, /etc/sluice/sluice.conf is used if it exists, else the
                built-in defaults (with the dictionaries of a source checkout when run
                from one). The envelope comes from --sender and --recipient, else from
                the From, To and Cc headers.

                Options:
                  --config FILE       configuration file
                  --dictionaries DIR  keyword lists instead of [detect] dictionaries
                  --sender ADDR       envelope sender
                  --recipient ADDR    envelope recipient (repeatable)
                  --json              one JSON object per message (JSON Lines): file,
                                      action, reference, rules, findings (masked),
                                      attachments, parts, incomplete
                  --text              print the text of every part as the detectors
                                      read it, under where it came from

                Exit status: 0 when every message was scanned, whatever the verdict;
                65 when a message could not be read; 64 on bad usage; 78 on a bad
                configuration.
                """),
        CommandHelp(
            name: "check-config",
            synopsis: "sluice check-config [--config FILE] [--dictionaries DIR]",
            summary: "check the configuration and print the settings in force",
            details: """
                Reads the configuration (default /etc/sluice/sluice.conf), loads the
                dictionaries and compiles the rules, reports the first problem as
                FILE:LINE[:COLUMN]: KEY: problem and exits 1, or prints every setting
                with its effective value and exits 0. Rules that can never fire are
                reported as warnings.

                Options:
                  --config FILE       configuration file
                  --dictionaries DIR  keyword lists instead of [detect] dictionaries
                """),
        DictCommand.help,
        CommandHelp(
            name: "quarantine",
            synopsis: "sluice quarantine SUBCOMMAND [--config FILE] ...",
            summary: "review, release and delete held messages",
            details: """
                Subcommands:
                  list [--state S] [--sender S] [--rule R] [--since 2d] [--limit N]
                       [--offset N] [--json]
                                             newest first (50 a page); --sender matches
                                             part of the address; states: held,
                                             releasing, released, deleted
                  show ID [--raw] [--json]   envelope, subject, rules, masked findings,
                                             attachments and history; --raw prints the
                                             original message
                  release ID... [--to RCPT...] [--comment TEXT]
                                             deliver once through [quarantine]
                                             release_relay, to the original recipients
                                             or the given subset
                  delete ID... [--comment TEXT]
                  export ID                  the original message on standard output
                  purge --older-than 30d     remove messages and records together
                  stats [--json]             counts by state, rule and day (UTC)

                IDs are the reference ids of replies and notifications; case does not
                matter and O reads as 0, I and L as 1. Every review action is recorded
                in the message's history and in the audit log, under your unix user.

                Exit status: 0 on success; 1 when an action failed (not held, no such
                id, relay refused, bad key file); 64 on bad usage; 78 on a bad
                configuration.
                """),
        CommandHelp(
            name: "status",
            synopsis: "sluice status [--config FILE] [--json]",
            summary: "show whether the daemon runs, what it loaded, and its counts",
            details: """
                Asks the running daemon over [milter] control_socket for its version,
                uptime, the configuration and dictionaries it loaded (SHA-256 and time)
                and messages by action since it started.

                Exit status: 0 when the daemon answered, 3 when none is running.
                """),
        CommandHelp(
            name: "stats",
            synopsis: "sluice stats senders [--config FILE] [--top N] [--window 1m|1h|1d] [--json]",
            summary: "show the busiest senders and their volume counters",
            details: """
                Reads the counters the daemon saves to [volume] state_file (every
                save_interval and at shutdown) and lists the senders with the most
                messages in the window (default 1h, top 20): messages in the last
                minute, hour and day, external recipients in the last hour, external
                domains and blocked messages in the last day, and whether the sender's
                rate is far above its usual level.
                """),
        CommandHelp(
            name: "audit",
            synopsis: "sluice audit verify FILE...",
            summary: "check the hash chain of audit log files",
            details: """
                Every audit record carries the SHA-256 of its own content and of the record
                before it. 'verify' checks the files as one chain, oldest first (give a
                rotated file before the current one), and names the first record that was
                edited, or where records were removed or inserted.

                Exit status: 0 when the chain is intact, 1 when it is broken, 65 when a
                file cannot be read.
                """),
        CommandHelp(
            name: "help",
            synopsis: "sluice help [COMMAND]",
            summary: "show help for sluice or one command",
            details: ""),
    ]

    static var overview: String {
        var text = """
            Sluice: outbound data-loss-prevention filter for Postfix.

            Usage: sluice COMMAND [OPTIONS]

            Commands:

            """
        for command in self.commands {
            let padded = command.name.padding(toLength: 14, withPad: " ", startingAt: 0)
            text += "  \(padded)\(command.summary)\n"
        }
        text += """

            Options:
              -h, --help      show this help
              --version       show the version

            Run 'sluice help COMMAND' for the options of one command.
            """
        return text
    }

    static func help(for name: String) -> String? {
        guard let command = self.commands.first(where: { $0.name == name }) else {
            return nil
        }
        var text = "Usage: \(command.synopsis)\n\n\(command.summary.prefix(1).uppercased())"
        text += "\(command.summary.dropFirst()).\n"
        if !command.details.isEmpty {
            text += "\n\(command.details)\n"
        }
        return text
    }

    static func synopsis(for name: String) -> String {
        let synopsis = self.commands.first { $0.name == name }?.synopsis
        return "Usage: " + (synopsis ?? "sluice COMMAND [OPTIONS]")
    }
}
