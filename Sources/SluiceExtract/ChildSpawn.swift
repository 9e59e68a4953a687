// How every extractor child process starts: under prlimit with the CPU and address-space
// limits, in its own process group (so a timeout kills everything it started), with default
// signal handling, nothing blocked, a minimal environment and the descriptors the caller
// names as standard input, output and error; and how its output is awaited against a deadline.

import Glibc

enum ChildSpawn {
    /// Starts `executable` with `arguments` under prlimit; returns its pid, or why it could not.
    static func start(
        prlimit: String, cpuSeconds: Int, memoryBytes: Int, executable: String,
        arguments: [String], input: Int32, output: Int32, error: Int32
    ) -> Result<pid_t, SpawnError> {
        var actions = posix_spawn_file_actions_t()
        posix_spawn_file_actions_init(&actions)
        defer { posix_spawn_file_actions_destroy(&actions) }
        posix_spawn_file_actions_adddup2(&actions, input, 0)
        posix_spawn_file_actions_adddup2(&actions, output, 1)
        posix_spawn_file_actions_adddup2(&actions, error, 2)
        var attributes = posix_spawnattr_t()
        posix_spawnattr_init(&attributes)
        defer { posix_spawnattr_destroy(&attributes) }
        var noSignals = sigset_t()
        sigemptyset(&noSignals)
        var allSignals = sigset_t()
        sigfillset(&allSignals)
        posix_spawnattr_setsigmask(&attributes, &noSignals)
        posix_spawnattr_setsigdefault(&attributes, &allSignals)
        posix_spawnattr_setpgroup(&attributes, 0)
        posix_spawnattr_setflags(
            &attributes,
            Int16(POSIX_SPAWN_SETSIGMASK | POSIX_SPAWN_SETSIGDEF | POSIX_SPAWN_SETPGROUP))
        let argv =
            [prlimit, "--cpu=\(cpuSeconds)", "--as=\(memoryBytes)", "--core=0", "--", executable]
            + arguments
        let environment = ["PATH=/usr/bin:/bin", "LANG=C.UTF-8", "LC_ALL=C.UTF-8"]
        var pid: pid_t = 0
        let status = withCStrings(argv) { argvPointer in
            withCStrings(environment) { environmentPointer in
                posix_spawn(&pid, prlimit, &actions, &attributes, argvPointer, environmentPointer)
            }
        }
        guard status == 0 else {
            return .failure(
                SpawnError(
                    description: "posix_spawn \(prlimit): \(String(cString: strerror(status)))"))
        }
        return .success(pid)
    }

    /// Waits until `descriptor` has something to read (or an error for the read to report);
    /// false once `deadline` has passed.
    static func waitReadable(_ descriptor: Int32, until deadline: ContinuousClock.Instant) -> Bool {
        while true {
            let remaining = ContinuousClock.now.duration(to: deadline)
            guard remaining > .zero else { return false }
            let (seconds, attoseconds) = remaining.components
            let milliseconds = Int32(
                clamping: seconds * 1000 + attoseconds / 1_000_000_000_000_000 + 1)
            var poller = pollfd(fd: descriptor, events: Int16(POLLIN), revents: 0)
            let ready = poll(&poller, 1, milliseconds)
            if ready > 0 || (ready < 0 && errno != EINTR) { return true }
        }
    }

    struct SpawnError: Error {
        var description: String
    }

    private static func withCStrings(
        _ strings: [String], _ body: (UnsafePointer<UnsafeMutablePointer<CChar>?>) -> Int32
    ) -> Int32 {
        let pointers = strings.map { strdup($0) } + [nil]
        defer { pointers.forEach { free($0) } }
        return pointers.withUnsafeBufferPointer { buffer in
            buffer.baseAddress.map(body) ?? EINVAL
        }
    }
}
