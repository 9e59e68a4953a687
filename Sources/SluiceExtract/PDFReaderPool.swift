// PDF text and attached files through sluice-pdf reader processes kept running between
// messages. Starting pdftotext costs several milliseconds of CPU per document, most of it loading
// poppler; a running reader answers a small PDF in about one. Each reader runs under the same
// rlimits as any extractor, in its own process group, and is killed when a document overruns its
// time or its reply is malformed; it retires by itself after a number of documents, so memory
// poppler leaks or fragments goes with it.

import Glibc
import Synchronization

/// What a reader made of one PDF.
struct PDFReading {
    enum Status: Equatable {
        case read
        case needsPassword
        case unreadable(String)
    }

    struct File {
        var name: String
        var data: [UInt8]
        var truncated: Bool
    }

    var status: Status
    var text: String
    var textTruncated: Bool
    var files: [File]
    var filesLeftOut: Int
}

/// How one request to a reader ended.
enum PDFReaderOutcome {
    case answered(PDFReading)
    /// The reader crashed, overran its time, or sent something that is not a reply.
    case failed(String)
    /// No reader could be started; the caller falls back to pdftotext.
    case unavailable(String)
}

/// What one request may return, from the extraction limits.
struct PDFRequest {
    var maxTextBytes: Int
    var maxFileBytes: Int
    var maxFiles: Int
    var timeout: Duration
}

/// The running readers of this process, shared by every extraction.
final class PDFReaderPool: Sendable {
    static let shared = PDFReaderPool()

    /// How a reader was started; only a reader started the same way is reused.
    struct Setup: Hashable, Sendable {
        var executable: String
        var prlimit: String
        var memoryBytes: Int
        var cpuSeconds: Int
    }

    private struct Reader: Sendable {
        var setup: Setup
        var pid: pid_t
        var socket: Int32
    }

    /// Readers kept idle beyond this number are stopped when they come back.
    private let maxIdle = 8
    /// Documents and CPU seconds after which a reader retires by itself.
    static let documentsPerReader = 500
    static let retireCPUSeconds = 5
    private let idle = Mutex<[Reader]>([])

    func read(_ pdf: [UInt8], setup: Setup, request: PDFRequest) -> PDFReaderOutcome {
        // A reused reader may have gone away while idle; a fresh one gets the request then.
        if let reader = self.takeIdle(setup) {
            if Self.send(pdf, request, to: reader.socket) {
                return self.finish(reader, request)
            }
            Self.stop(reader)
        }
        let reader: Reader
        switch Self.start(setup, timeout: request.timeout) {
        case .success(let started): reader = started
        case .failure(let problem): return .unavailable(problem.reason)
        }
        guard Self.send(pdf, request, to: reader.socket) else {
            Self.stop(reader)
            return .failed(ReplyProblem.closed.description(request.timeout))
        }
        return self.finish(reader, request)
    }

    private func takeIdle(_ setup: Setup) -> Reader? {
        self.idle.withLock { readers in
            readers.firstIndex { $0.setup == setup }.map { readers.remove(at: $0) }
        }
    }

    private func finish(_ reader: Reader, _ request: PDFRequest) -> PDFReaderOutcome {
        let deadline = ContinuousClock.now.advanced(by: request.timeout)
        var input = ReplyReader(socket: reader.socket, deadline: deadline)
        let outcome: PDFReaderOutcome
        var retiring = true
        do {
            let (reading, retires) = try input.reply(request)
            outcome = .answered(reading)
            retiring = retires
        } catch {
            outcome = .failed(error.description(request.timeout))
        }
        if retiring {
            Self.stop(reader)
        } else {
            let kept = self.idle.withLock { readers in
                guard readers.count < self.maxIdle else { return false }
                readers.append(reader)
                return true
            }
            if !kept { Self.stop(reader) }
        }
        return outcome
    }

    private struct StartProblem: Error {
        var reason: String
    }

    /// Starts a reader and waits for its greeting: a reader that cannot start (poppler not
    /// installed, a sanitizer's address space over the rlimit) is unavailable, not a failed PDF.
    private static func start(_ setup: Setup, timeout: Duration) -> Result<Reader, StartProblem> {
        let reader: Reader
        switch Self.spawn(setup) {
        case .success(let spawned): reader = spawned
        case .failure(let problem): return .failure(problem)
        }
        var greeting = ReplyReader(
            socket: reader.socket, deadline: ContinuousClock.now.advanced(by: timeout))
        guard (try? greeting.bytes(4)) == Array("SPDR".utf8) else {
            Self.stop(reader)
            return .failure(StartProblem(reason: "\(setup.executable) did not start"))
        }
        return .success(reader)
    }

    /// The reader process under prlimit, talking over one end of a socket pair.
    private static func spawn(_ setup: Setup) -> Result<Reader, StartProblem> {
        guard access(setup.executable, X_OK) == 0 else {
            return .failure(StartProblem(reason: "\(setup.executable) is not installed"))
        }
        var pair: [Int32] = [-1, -1]
        let type = Int32(SOCK_STREAM.rawValue) | Int32(SOCK_CLOEXEC.rawValue)
        guard socketpair(AF_UNIX, type, 0, &pair) == 0 else {
            return .failure(StartProblem(reason: "socketpair: \(String(cString: strerror(errno)))"))
        }
        let devNull = open("/dev/null", O_RDWR | O_CLOEXEC)
        defer {
            close(pair[1])
            if devNull >= 0 { close(devNull) }
        }
        // CPU for the documents before retirement, plus one document's worth.
        let pid: pid_t
        switch ChildSpawn.start(
            prlimit: setup.prlimit, cpuSeconds: Self.retireCPUSeconds + setup.cpuSeconds,
            memoryBytes: setup.memoryBytes, executable: setup.executable,
            arguments: ["\(Self.documentsPerReader)", "\(Self.retireCPUSeconds)"],
            input: pair[1], output: pair[1], error: devNull)
        {
        case .success(let started): pid = started
        case .failure(let problem):
            close(pair[0])
            return .failure(StartProblem(reason: problem.description))
        }
        return .success(Reader(setup: setup, pid: pid, socket: pair[0]))
    }

    /// Kills the reader's process group (nothing happens if it already exited) and reaps it.
    private static func stop(_ reader: Reader) {
        close(reader.socket)
        kill(-reader.pid, SIGKILL)
        var status: Int32 = 0
        while waitpid(reader.pid, &status, 0) < 0 && errno == EINTR {}
    }

    private static func send(_ pdf: [UInt8], _ request: PDFRequest, to socket: Int32) -> Bool {
        var header: [UInt8] = []
        for value in [
            UInt64(pdf.count), UInt64(request.maxTextBytes), UInt64(request.maxFileBytes),
        ] {
            withUnsafeBytes(of: value.littleEndian) { header.append(contentsOf: $0) }
        }
        withUnsafeBytes(of: UInt32(clamping: request.maxFiles).littleEndian) {
            header.append(contentsOf: $0)
        }
        header.append(contentsOf: [0, 0, 0, 0])
        return Self.sendAll(header, socket) && Self.sendAll(pdf, socket)
    }

    private static func sendAll(_ bytes: [UInt8], _ socket: Int32) -> Bool {
        var sent = 0
        while sent < bytes.count {
            let count = bytes.withUnsafeBytes {
                Glibc.send(
                    socket, $0.baseAddress.map { $0 + sent }, $0.count - sent, Int32(MSG_NOSIGNAL))
            }
            if count < 0 && errno == EINTR { continue }
            if count <= 0 { return false }
            sent += count
        }
        return true
    }
}

/// Why a reply could not be read.
private enum ReplyProblem: Error {
    case timedOut
    case closed
    case malformed(String)

    func description(_ timeout: Duration) -> String {
        switch self {
        case .timedOut: "sluice-pdf killed after \(timeout)"
        case .closed: "sluice-pdf stopped before answering (crashed or over its limits)"
        case .malformed(let what): "sluice-pdf sent a malformed reply: \(what)"
        }
    }
}

/// Reads one reply from a reader's socket within a deadline.
private struct ReplyReader {
    let socket: Int32
    let deadline: ContinuousClock.Instant

    mutating func reply(_ request: PDFRequest) throws(ReplyProblem) -> (PDFReading, Bool) {
        let header = try self.bytes(24)
        guard Self.integer(header, 0, UInt32.self) == 0x4644_5053 else {
            throw .malformed("no reply header")
        }
        let files = Int(Self.integer(header, 8, UInt32.self))
        let leftOut = Int(Self.integer(header, 12, UInt32.self))
        let textLength = Self.integer(header, 16, UInt64.self)
        guard textLength <= UInt64(request.maxTextBytes), files <= request.maxFiles else {
            throw .malformed("more than was asked for")
        }
        let text = String(decoding: try self.bytes(Int(textLength)), as: UTF8.self)
        let status: PDFReading.Status =
            switch header[4] {
            case 0: .read
            case 1: .needsPassword
            default: .unreadable(text)
            }
        var reading = PDFReading(
            status: status, text: status == .read ? text : "", textTruncated: header[6] != 0,
            files: [], filesLeftOut: leftOut)
        for _ in 0..<files {
            let fileHeader = try self.bytes(24)
            let nameLength = Self.integer(fileHeader, 0, UInt64.self)
            let dataLength = Self.integer(fileHeader, 8, UInt64.self)
            guard nameLength <= 4096, dataLength <= UInt64(request.maxFileBytes) else {
                throw .malformed("attached file larger than was asked for")
            }
            let name = String(decoding: try self.bytes(Int(nameLength)), as: UTF8.self)
            let data = try self.bytes(Int(dataLength))
            reading.files.append(.init(name: name, data: data, truncated: fileHeader[16] != 0))
        }
        return (reading, header[5] != 0)
    }

    private static func integer<T: FixedWidthInteger>(
        _ bytes: [UInt8], _ offset: Int, _ type: T.Type
    ) -> T {
        var value: T = 0
        for index in (0..<MemoryLayout<T>.size).reversed() {
            value = value << 8 | T(bytes[offset + index])
        }
        return value
    }

    /// Exactly `count` bytes, waiting no later than the deadline.
    mutating func bytes(_ count: Int) throws(ReplyProblem) -> [UInt8] {
        var output = [UInt8](repeating: 0, count: count)
        var filled = 0
        while filled < count {
            guard ChildSpawn.waitReadable(self.socket, until: self.deadline) else {
                throw .timedOut
            }
            let got = output.withUnsafeMutableBytes {
                recv(self.socket, $0.baseAddress.map { $0 + filled }, count - filled, 0)
            }
            if got < 0 && errno == EINTR { continue }
            if got <= 0 { throw .closed }
            filled += got
        }
        return output
    }
}
