// `sluice milter`: loads the configuration, applies command-line overrides, detaches unless
// told to stay in the foreground, and runs the daemon until a signal stops it.

import Foundation
import SluiceMilter
import SluicePolicy

#if canImport(Glibc)
import Glibc
#endif

enum MilterCommand {
    static func run(_ arguments: [String]) throws(UsageError) -> Int32 {
        let parsed = try CommandArguments(
            arguments, options: ["--config", "--socket", "--dictionaries"],
            flags: ["--foreground"])
        guard parsed.positionals.isEmpty else {
            throw UsageError(message: "unexpected argument '\(parsed.positionals[0])'")
        }
        let socket = try self.socket(parsed.value("--socket"))
        let dictionaries = parsed.value("--dictionaries")
        let overrides: @Sendable (inout Configuration) -> Void = { configuration in
            if let socket {
                configuration.milter.socket = socket
            }
            ConfigLoading.applyDictionaries(dictionaries, to: &configuration)
            ConfigLoading.useCheckoutDictionaries(&configuration)
        }

        let configPath = parsed.value("--config") ?? Configuration.defaultPath
        var configuration: Configuration
        do {
            configuration = try Configuration.load(path: configPath)
        } catch {
            Output.error("sluice: \(error)")
            return ExitCode.config
        }
        overrides(&configuration)

        if !parsed.has("--foreground") {
            guard self.detach() else {
                Output.error("sluice: cannot detach: \(String(cString: strerror(errno)))")
                return ExitCode.software
            }
        }

        let logger = Logger(settings: configuration.log)
        let volume = self.volumeCounter(configuration, logger: logger)
        let daemon = MilterDaemon(
            configuration: configuration, configPath: configPath, logger: logger,
            overrides: overrides, volume: volume, version: Usage.version,
            makeInspector: { try PolicyInspector(configuration: $0, volume: volume) })
        do {
            guard try daemon.run() else {
                // Exit non-zero so a supervisor (systemd Restart=on-failure) restarts it.
                return ExitCode.software
            }
        } catch {
            logger.error("cannot start: \(error)")
            if configuration.log.target == .syslog && parsed.has("--foreground") {
                Output.error("sluice: cannot start: \(error)")
            }
            return ExitCode.cannotCreate
        }
        return ExitCode.success
    }

    /// The volume counter, with the counts saved by the previous run.
    static func volumeCounter(
        _ configuration: Configuration, logger: Logger
    )
        -> InMemoryVolumeCounter?
    {
        let settings = configuration.volume
        guard settings.enabled else {
            return nil
        }
        let counter = InMemoryVolumeCounter(
            anomalyFactor: settings.anomalyFactor, anomalyFloor: settings.anomalyFloor)
        if !settings.stateFile.isEmpty {
            do {
                try counter.load(from: settings.stateFile)
            } catch {
                logger.warning(
                    "volume: cannot read \(settings.stateFile): \(error); starting empty")
            }
        }
        return counter
    }

    static func socket(_ spec: String?) throws(UsageError) -> MilterSocket? {
        guard let spec else {
            return nil
        }
        guard let socket = MilterSocket(spec) else {
            throw UsageError(
                message: "--socket: expected unix:PATH, inet:PORT@HOST or inet6:PORT@HOST")
        }
        return socket
    }

    /// Forks into the background with a new session and standard streams on /dev/null.
    /// Returns false when the fork fails; the parent process exits here.
    static func detach() -> Bool {
        let child = fork()
        if child < 0 {
            return false
        }
        if child > 0 {
            exit(ExitCode.success)
        }
        _ = setsid()
        _ = chdir("/")
        let null = open("/dev/null", O_RDWR)
        if null >= 0 {
            for descriptor in [STDIN_FILENO, STDOUT_FILENO, STDERR_FILENO] {
                dup2(null, descriptor)
            }
            if null > STDERR_FILENO {
                close(null)
            }
        }
        return true
    }
}
