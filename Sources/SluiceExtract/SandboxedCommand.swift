// Runs an external extractor on one file as a child process with an address-space and CPU
// rlimit (through prlimit), its own process group, no stdin, a wall-clock timeout and a cap on
// its output. Overruns are killed with SIGKILL; whatever happens, the caller gets an outcome.

import Glibc

/// How one run of an external extractor ended.
enum CommandOutcome {
    case exited(status: Int32, output: [UInt8])
    case killed(signal: Int32, output: [UInt8])
    case timedOut(output: [UInt8])
    case outputLimit(output: [UInt8])
    case unavailable(String)
}

struct SandboxedCommand {
    var prlimit: String
    var executable: String
    var arguments: [String]
    var cpuSeconds: Int
    var memoryBytes: Int
    var timeout: Duration
    var maxOutputBytes: Int
    var temporaryDirectory: String

    /// Writes `input` to a private temporary file, runs the command on it (its path replaces
    /// `{}` in the arguments) and returns the outcome.
    func run(input: [UInt8]) -> CommandOutcome {
        guard access(self.executable, X_OK) == 0 else {
            return .unavailable("\(self.executable) is not installed")
        }
        var template = Array(
            (self.temporaryDirectory + "/sluice-extract-" + String(repeating: "X", count: 6))
                .utf8CString)
        guard
            let directory = template.withUnsafeMutableBufferPointer({ buffer in
                buffer.baseAddress.flatMap { mkdtemp($0) }.map { String(cString: $0) }
            })
        else {
            return .unavailable("mkdtemp in \(self.temporaryDirectory): \(Self.errorText())")
        }
        let path = directory + "/input"
        defer {
            unlink(path)
            rmdir(directory)
        }
        guard Self.write(input, to: path) else {
            return .unavailable("write \(path): \(Self.errorText())")
        }
        return self.spawn(self.arguments.map { $0 == "{}" ? path : $0 })
    }

    private func spawn(_ arguments: [String]) -> CommandOutcome {
        var pipe: [Int32] = [-1, -1]
        // pipe2 is not exported to Swift; the flag is set right after creation.
        guard Glibc.pipe(&pipe) == 0 else { return .unavailable("pipe: \(Self.errorText())") }
        _ = fcntl(pipe[0], F_SETFD, FD_CLOEXEC)
        _ = fcntl(pipe[1], F_SETFD, FD_CLOEXEC)
        let devNull = open("/dev/null", O_RDWR | O_CLOEXEC)
        defer {
            close(pipe[0])
            if pipe[1] >= 0 { close(pipe[1]) }
            if devNull >= 0 { close(devNull) }
        }
        let pid: pid_t
        switch ChildSpawn.start(
            prlimit: self.prlimit, cpuSeconds: self.cpuSeconds, memoryBytes: self.memoryBytes,
            executable: self.executable, arguments: arguments, input: devNull, output: pipe[1],
            error: devNull)
        {
        case .success(let started): pid = started
        case .failure(let problem): return .unavailable(problem.description)
        }
        close(pipe[1])
        pipe[1] = -1
        return self.collect(pid, pipe[0])
    }

    /// Reads the child's output until it closes, the deadline passes or the output is too long.
    private func collect(_ pid: pid_t, _ descriptor: Int32) -> CommandOutcome {
        let deadline = ContinuousClock.now.advanced(by: self.timeout)
        var output: [UInt8] = []
        var buffer = [UInt8](repeating: 0, count: 64 << 10)
        var ending: CommandOutcome?
        while ending == nil {
            guard ChildSpawn.waitReadable(descriptor, until: deadline) else {
                ending = .timedOut(output: output)
                break
            }
            let count = buffer.withUnsafeMutableBytes { read(descriptor, $0.baseAddress, $0.count) }
            if count < 0 && errno == EINTR { continue }
            if count <= 0 { break }
            output.append(contentsOf: buffer[0..<count])
            if output.count > self.maxOutputBytes { ending = .outputLimit(output: output) }
        }
        if ending != nil { kill(-pid, SIGKILL) }
        let status = Self.reap(pid)
        if let ending { return ending }
        let signal = status & 0x7F
        if signal != 0 { return .killed(signal: signal, output: output) }
        return .exited(status: (status >> 8) & 0xFF, output: output)
    }

    private static func reap(_ pid: pid_t) -> Int32 {
        var status: Int32 = 0
        while waitpid(pid, &status, 0) < 0 && errno == EINTR {}
        return status
    }

    private static func write(_ bytes: [UInt8], to path: String) -> Bool {
        let descriptor = open(path, O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0o600)
        guard descriptor >= 0 else { return false }
        defer { close(descriptor) }
        var written = 0
        while written < bytes.count {
            let count = bytes.withUnsafeBytes {
                Glibc.write(descriptor, $0.baseAddress.map { $0 + written }, $0.count - written)
            }
            if count < 0 && errno == EINTR { continue }
            if count <= 0 { return false }
            written += count
        }
        return true
    }

    private static func errorText() -> String {
        String(cString: strerror(errno))
    }
}
