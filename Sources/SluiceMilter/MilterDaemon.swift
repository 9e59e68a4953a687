// The daemon around libmilter: opens the socket with the configured mode and group, runs
// `smfi_main` on its own thread, and keeps the main thread for signals — SIGHUP reloads the
// configuration, SIGTERM and SIGINT stop within `stop_timeout`.

import CMilter
import Foundation
import SluicePolicy
import SluiceScan
import SluiceStore
import Synchronization

#if canImport(Glibc)
import Glibc
#endif

/// Addresses of what libmilter was given to keep for the life of the process.
private let libmilterKeeps = Mutex<[UInt]>([])

/// Runs the milter until it is told to stop.
/// Its stored properties never change after `init`; what reloads touch is behind locks.
public final class MilterDaemon: @unchecked Sendable {
    /// Builds the inspector for a configuration; called at start and on every reload.
    public typealias InspectorFactory = @Sendable (Configuration) throws -> any MessageInspector

    /// Signals the main thread waits for. They must be blocked in every thread, which
    /// `blockSignals()` does when called before any other thread starts.
    static let handledSignals: [Int32] = [SIGHUP, SIGTERM, SIGINT, SIGUSR1, SIGUSR2]

    private let configuration: Configuration
    private let configPath: String?
    private let logger: Logger
    private let makeInspector: InspectorFactory
    private let reloadOverrides: @Sendable (inout Configuration) -> Void
    private let volume: InMemoryVolumeCounter?
    private let version: String
    /// Reloads come from SIGHUP and from the dictionary watcher: one at a time.
    private let reloading = NSLock()
    private let reloads = DispatchQueue(label: "sluice.reload")
    /// Whether a reload is queued and not started yet, so a burst of SIGHUPs reloads once.
    private let reloadQueued = Locked(false)

    /// `configPath` is re-read on SIGHUP; `overrides` is applied to every configuration read
    /// (command-line options such as `--socket`).
    public init(
        configuration: Configuration, configPath: String?, logger: Logger,
        overrides: @escaping @Sendable (inout Configuration) -> Void = { _ in },
        volume: InMemoryVolumeCounter? = nil, version: String = "",
        makeInspector: @escaping InspectorFactory
    ) {
        self.volume = volume
        self.version = version
        self.configuration = configuration
        self.configPath = configPath
        self.logger = logger
        self.reloadOverrides = overrides
        self.makeInspector = makeInspector
    }

    /// Blocks the signals the daemon handles in the calling thread and every thread it
    /// starts later. Call first thing in `main`.
    public static func blockSignals() {
        var set = self.signalSet()
        pthread_sigmask(SIG_BLOCK, &set, nil)
    }

    static func signalSet() -> sigset_t {
        var set = sigset_t()
        sigemptyset(&set)
        for signal in self.handledSignals {
            sigaddset(&set, signal)
        }
        return set
    }

    /// Opens the socket, serves connections and returns when stopped: true after a
    /// requested stop, false when libmilter stopped by itself. Throws when the daemon
    /// cannot start.
    @discardableResult
    public func run() throws -> Bool {
        let settings = self.configuration.milter
        var state = MilterState(
            inspector: try self.makeInspector(self.configuration), settings: settings,
            policy: self.configuration.policy,
            audit: try self.configuration.audit.path.map { (path) throws(StoreError) in
                try AuditLog(path: path)
            },
            notifier: NotificationRouting.notifier(self.configuration, logger: self.logger),
            configuration: self.configuration)
        state.quarantine = try Self.openQuarantine(self.configuration, audit: state.audit)
        var stamped = state
        self.stamp(&stamped)
        let runtime = MilterRuntime(state: stamped, logger: self.logger)
        milterRuntime = runtime
        let control = try self.startControl(runtime: runtime)
        defer { control.forEach { $0.stop() } }

        try self.prepareSpool(settings)
        try self.openSocket(settings)
        try self.writePidFile(settings)
        defer { self.cleanUp(settings) }

        self.logger.info(
            "starting: socket=\(settings.socket) config=\(self.configPath ?? "(defaults)")")
        let finished = DispatchSemaphore(value: 0)
        let mainThread = pthread_self()
        let thread = Thread {
            let status = smfi_main()
            finished.signal()
            if status != MI_SUCCESS {
                runtime.logger.error("milter: libmilter stopped with an error")
            }
            pthread_kill(mainThread, SIGUSR2)
        }
        thread.stackSize = 1 << 20
        thread.start()
        let watcher = self.watchDictionaries(runtime: runtime)
        defer { watcher.cancel() }
        let purger = self.purgeQuarantinePeriodically(runtime: runtime)
        defer { purger.cancel() }
        let saver = self.saveVolumePeriodically(runtime: runtime)
        defer {
            saver?.cancel()
            self.saveVolume(runtime: runtime)
        }

        return self.waitForSignals(runtime: runtime, settings: settings, finished: finished)
    }

    /// Serves signals until a stop; returns false when libmilter stopped on its own.
    private func waitForSignals(
        runtime: MilterRuntime, settings: MilterSettings, finished: DispatchSemaphore
    ) -> Bool {
        var set = Self.signalSet()
        while true {
            var received: Int32 = 0
            guard sigwait(&set, &received) == 0 else {
                continue
            }
            switch received {
            case SIGHUP:
                // Reload elsewhere and come straight back to sigwait: while the main thread
                // waits here, Linux hands it the next SIGHUP rather than libmilter's own
                // signal thread, which would take SIGHUP as "stop".
                self.scheduleReload(runtime: runtime)
            case SIGUSR1:
                self.reopenAudit(runtime: runtime)
            case SIGTERM, SIGINT:
                self.logger.info("stopping: signal \(received)")
                // smfi_stop blocks until libmilter's listener finishes its current poll,
                // seconds later: ask from another thread and watch the connections here.
                Thread.detachNewThread { smfi_stop() }
                if !self.waitForConnections(finished: finished, timeout: settings.stopTimeout) {
                    self.logger.warning(
                        "stopping: connections still open after "
                            + "\(ConfigValue.render(duration: settings.stopTimeout)),"
                            + " closing them")
                }
                return true
            case SIGUSR2:
                self.logger.error("milter: libmilter stopped without being asked to")
                return false
            default:
                continue
            }
        }
    }

    /// Waits until libmilter has returned or no connection is open, at most `timeout`
    /// seconds; libmilter itself notices a stop only at its next poll, seconds later.
    private func waitForConnections(finished: DispatchSemaphore, timeout: Double) -> Bool {
        let deadline = DispatchTime.now() + timeout
        while DispatchTime.now() < deadline {
            if finished.wait(timeout: .now() + .milliseconds(20)) == .success {
                return true
            }
            if openSessions.load(ordering: .relaxed) == 0 {
                return true
            }
        }
        return false
    }

    /// Queues a reload unless one is already waiting to start.
    private func scheduleReload(runtime: MilterRuntime) {
        let alreadyQueued = self.reloadQueued.value
        guard !alreadyQueued else {
            return
        }
        self.reloadQueued.value = true
        self.reloads.async { [self] in
            self.reloadQueued.value = false
            self.reload(runtime: runtime)
        }
    }

    /// Reads the configuration again and swaps it in; a bad file leaves the old one running.
    private func reload(runtime: MilterRuntime) {
        self.reloading.lock()
        defer { self.reloading.unlock() }
        guard let path = self.configPath else {
            self.logger.info("reload: no configuration file, nothing to reload")
            return
        }
        do {
            var configuration = try Configuration.load(path: path)
            self.reloadOverrides(&configuration)
            let inspector = try self.makeInspector(configuration)
            let old = runtime.current
            if configuration.milter.socket != old.settings.socket {
                self.logger.warning("reload: socket changes take effect after a restart")
            }
            var settings = configuration.milter
            settings.socket = old.settings.socket
            var audit = old.audit
            if configuration.audit.path != old.audit?.path {
                audit = try configuration.audit.path.map { (path) throws(StoreError) in
                    try AuditLog(path: path)
                }
            }
            var notifier = old.notifier
            if configuration.notify != old.configuration.notify
                || configuration.webhooks != old.configuration.webhooks || notifier == nil
            {
                old.notifier?.stop()
                notifier = NotificationRouting.notifier(configuration, logger: self.logger)
            }
            var state = MilterState(
                inspector: inspector, settings: settings, policy: configuration.policy,
                audit: audit, notifier: notifier, configuration: configuration)
            state.quarantine =
                configuration.quarantine == old.configuration.quarantine && audit === old.audit
                ? old.quarantine : try Self.openQuarantine(configuration, audit: audit)
            self.stamp(&state)
            runtime.replace(state)
            runtime.metrics.recordReload(succeeded: true)
            self.logger.setLevel(configuration.log.level)
            self.logger.info("reload: configuration \(path) loaded")
        } catch {
            runtime.metrics.recordReload(succeeded: false)
            self.logger.error("reload: \(error); keeping the previous configuration")
        }
    }

    /// Polls the dictionary directory every few seconds and reloads when a dictionary
    /// changed, so `sluice dict add` takes effect without a restart.
    private func watchDictionaries(runtime: MilterRuntime) -> any DispatchSourceTimer {
        let timer = DispatchSource.makeTimerSource(queue: DispatchQueue(label: "sluice.dict"))
        let directory = { runtime.current.configuration.detect.dictionaries }
        let stamp = Locked(MessageScanner.dictionaryStamp(directory()))
        timer.schedule(deadline: .now() + 3, repeating: 3)
        timer.setEventHandler { [self] in
            let current = MessageScanner.dictionaryStamp(directory())
            guard current != stamp.value else {
                return
            }
            stamp.value = current
            self.logger.info("dictionaries changed in \(directory()), reloading")
            self.reload(runtime: runtime)
        }
        timer.resume()
        return timer
    }

    /// Records when a state was built and digests of what it was built from.
    private func stamp(_ state: inout MilterState) {
        state.loaded = Date()
        if let path = state.configuration.path,
            let data = FileManager.default.contents(atPath: path)
        {
            state.configDigest = SHA256.hex([UInt8](data))
        }
        let stamp = MessageScanner.dictionaryStamp(state.configuration.detect.dictionaries) ?? ""
        state.dictionaryDigest = SHA256.hex(Array(stamp.utf8))
    }

    /// Serves `/status` and `/metrics` on the control socket, and `/metrics` on the
    /// `[metrics] listen` port when one is configured.
    private func startControl(runtime: MilterRuntime) throws -> [ControlServer] {
        let respond: @Sendable (String) -> (status: String, type: String, body: String) = {
            [version = self.version] path in
            switch path {
            case "/status":
                return ("200 OK", "application/json", Self.status(runtime, version: version))
            case "/metrics":
                return (
                    "200 OK", "text/plain; version=0.0.4",
                    runtime.metrics.exposition(gauges: Self.gauges(runtime))
                )
            default:
                return ("404 Not Found", "text/plain", "not found\n")
            }
        }
        let socket = self.configuration.milter.controlSocket
        try? FileManager.default.createDirectory(
            atPath: (socket as NSString).deletingLastPathComponent,
            withIntermediateDirectories: true)
        var servers = [try ControlServer(unixPath: socket, respond: respond)]
        if let listen = self.configuration.metrics.listen {
            servers.append(
                try ControlServer(host: listen.host, port: listen.port, respond: respond))
        }
        return servers
    }

    private static func gauges(
        _ runtime: MilterRuntime
    ) -> [(name: String, help: String, value: Double)] {
        let counts = runtime.current.notifier?.counts
        return [
            (
                "sluice_notifications_queued", "Notifications waiting to be sent.",
                Double(counts?.queued ?? 0)
            ),
            (
                "sluice_notifications_failed", "Notifications given up on since start.",
                Double(counts?.failed ?? 0)
            ),
            (
                "sluice_open_connections", "Milter connections open now.",
                Double(openSessions.load(ordering: .relaxed))
            ),
            (
                "sluice_uptime_seconds", "Seconds since the daemon started.",
                Date().timeIntervalSince(runtime.metrics.started)
            ),
        ]
    }

    /// The JSON `sluice status` prints.
    private static func status(_ runtime: MilterRuntime, version: String) -> String {
        let state = runtime.current
        let formatter = ISO8601DateFormatter()
        let object: [String: Any] = [
            "version": version,
            "pid": Int(getpid()),
            "started": formatter.string(from: runtime.metrics.started),
            "uptime_seconds": Int(Date().timeIntervalSince(runtime.metrics.started)),
            "config": [
                "path": state.configuration.path ?? "", "sha256": state.configDigest,
                "loaded": formatter.string(from: state.loaded),
            ],
            "dictionaries": [
                "path": state.configuration.detect.dictionaries,
                "sha256": state.dictionaryDigest, "loaded": formatter.string(from: state.loaded),
            ],
            "messages": runtime.metrics.snapshot.actions,
            "reloads": runtime.metrics.snapshot.reloads,
        ]
        let data =
            (try? JSONSerialization.data(
                withJSONObject: object, options: [.sortedKeys, .withoutEscapingSlashes])) ?? Data()
        return String(decoding: data, as: UTF8.self) + "\n"
    }

    /// The quarantine store, for `[quarantine] mode = store`.
    static func openQuarantine(
        _ configuration: Configuration, audit: AuditLog?
    ) throws -> QuarantineStore? {
        let settings = configuration.quarantine
        guard settings.mode == .store else {
            return nil
        }
        let key = settings.encrypt ? try QuarantineStore.loadKey(path: settings.keyFile) : nil
        return try QuarantineStore(directory: settings.path, key: key, audit: audit)
    }

    /// Purges held mail older than `[quarantine] retention`, at start and every hour.
    private func purgeQuarantinePeriodically(runtime: MilterRuntime) -> any DispatchSourceTimer {
        let timer = DispatchSource.makeTimerSource(queue: DispatchQueue(label: "sluice.purge"))
        timer.schedule(deadline: .now() + 5, repeating: 3600)
        timer.setEventHandler { [logger = self.logger] in
            let state = runtime.current
            let retention = state.configuration.quarantine.retention
            guard let store = state.quarantine, retention > 0 else {
                return
            }
            do {
                let purged = try store.purge(olderThan: Date() - retention)
                if !purged.isEmpty {
                    logger.info("quarantine: purged \(purged.count) messages past retention")
                }
            } catch {
                logger.error("quarantine: purge: \(error)")
            }
        }
        timer.resume()
        return timer
    }

    /// Saves the volume counters every `save_interval`.
    private func saveVolumePeriodically(runtime: MilterRuntime) -> (any DispatchSourceTimer)? {
        guard self.volume != nil else {
            return nil
        }
        let interval = max(1, runtime.current.configuration.volume.saveInterval)
        let timer = DispatchSource.makeTimerSource(queue: DispatchQueue(label: "sluice.volume"))
        timer.schedule(deadline: .now() + interval, repeating: interval)
        timer.setEventHandler { [self] in self.saveVolume(runtime: runtime) }
        timer.resume()
        return timer
    }

    private func saveVolume(runtime: MilterRuntime) {
        let path = runtime.current.configuration.volume.stateFile
        guard let volume = self.volume, !path.isEmpty else {
            return
        }
        do {
            try volume.save(to: path)
        } catch {
            self.logger.error("volume: cannot save \(path): \(error)")
        }
    }

    /// Reopens the audit log after rotation (SIGUSR1).
    private func reopenAudit(runtime: MilterRuntime) {
        guard let audit = runtime.current.audit else {
            return
        }
        do {
            try audit.reopen()
            self.logger.info("audit: reopened \(audit.path)")
        } catch {
            self.logger.error("\(error)")
        }
    }

    private func prepareSpool(_ settings: MilterSettings) throws {
        var isDirectory: ObjCBool = false
        if FileManager.default.fileExists(
            atPath: settings.spoolDirectory,
            isDirectory: &isDirectory), isDirectory.boolValue
        {
            return
        }
        do {
            try FileManager.default.createDirectory(
                atPath: settings.spoolDirectory, withIntermediateDirectories: true,
                attributes: [.posixPermissions: 0o700])
        } catch {
            throw MilterError(
                "spool_directory", "cannot create \(settings.spoolDirectory): \(error)")
        }
    }

    private func openSocket(_ settings: MilterSettings) throws {
        if case .unix(let path) = settings.socket {
            let directory = (path as NSString).deletingLastPathComponent
            try? FileManager.default.createDirectory(
                atPath: directory, withIntermediateDirectories: true,
                attributes: [.posixPermissions: 0o755])
        }
        // libmilter keeps these pointers for the life of the process; so does libmilterKeeps,
        // so that they stay reachable after libmilter lets go of them at exit.
        let connection = strdup(settings.socket.description)
        libmilterKeeps.withLock { $0.append(UInt(bitPattern: connection)) }
        guard smfi_setconn(connection) == MI_SUCCESS else {
            throw MilterError("socket", "libmilter refused \(settings.socket)")
        }
        _ = smfi_settimeout(Int32(clamping: Int(settings.timeout.rounded())))
        _ = smfi_setbacklog(Int32(clamping: settings.listenBacklog))
        let description = UnsafeMutablePointer<smfiDesc>.allocate(capacity: 1)
        description.initialize(to: MilterCallbacks.description())
        libmilterKeeps.withLock { $0.append(UInt(bitPattern: description)) }
        guard smfi_register(description.pointee) == MI_SUCCESS else {
            throw MilterError("milter", "libmilter refused the filter registration")
        }
        guard smfi_opensocket(1) == MI_SUCCESS else {
            throw MilterError("socket", "cannot listen on \(settings.socket)")
        }
        if case .unix(let path) = settings.socket {
            try self.setPermissions(path: path, settings: settings)
        }
    }

    private func setPermissions(path: String, settings: MilterSettings) throws {
        guard chmod(path, mode_t(settings.socketMode)) == 0 else {
            throw MilterError("socket_mode", "cannot change mode of \(path)", errno: errno)
        }
        guard let groupName = settings.socketGroup else {
            return
        }
        guard let group = getgrnam(groupName) else {
            throw MilterError("socket_group", "no such group '\(groupName)'")
        }
        guard chown(path, uid_t.max, group.pointee.gr_gid) == 0 else {
            throw MilterError("socket_group", "cannot give \(path) to \(groupName)", errno: errno)
        }
    }

    private func writePidFile(_ settings: MilterSettings) throws {
        guard let path = settings.pidFile else {
            return
        }
        do {
            try "\(getpid())\n".write(toFile: path, atomically: true, encoding: .utf8)
        } catch {
            throw MilterError("pid_file", "cannot write \(path): \(error)")
        }
    }

    private func cleanUp(_ settings: MilterSettings) {
        if case .unix(let path) = settings.socket {
            unlink(path)
        }
        if let path = settings.pidFile {
            unlink(path)
        }
        self.logger.info("stopped")
    }
}
