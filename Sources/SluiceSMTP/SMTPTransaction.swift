// One blocking SMTP transaction to a relay, for mail Sluice itself sends: released
// quarantine messages and notifications. Every reply is checked and every read and write has
// a timeout; the relay's final reply is the proof of delivery.

import Foundation

#if canImport(Glibc)
import Glibc
#endif

/// A relay failure: what went wrong, with the errno where there was one.
public struct SMTPError: Error, CustomStringConvertible, Sendable {
    public var problem: String
    public var errno: Int32?

    init(_ problem: String, errno: Int32? = nil) {
        self.problem = problem
        self.errno = errno
    }

    public var description: String {
        self.errno.map { "\(self.problem): " + String(cString: strerror($0)) } ?? self.problem
    }
}

/// One SMTP transaction to a relay.
public struct SMTPTransaction: Sendable {
    public var host: String
    public var port: UInt16
    public var timeout: TimeInterval

    public init(host: String, port: UInt16, timeout: TimeInterval = 60) {
        self.host = host
        self.port = port
        self.timeout = timeout
    }

    /// Sends `message` and returns the relay's reply to the end of data.
    public func send(
        _ message: [UInt8], from sender: String, to recipients: [String]
    ) throws(SMTPError)
        -> String
    {
        let connection = try RelayConnection(
            host: self.host, port: self.port, timeout: self.timeout)
        defer { connection.close() }
        _ = try connection.expect(220)
        _ = try connection.command("EHLO \(Self.hostname())", expect: 250)
        _ = try connection.command("MAIL FROM:<\(sender)>", expect: 250)
        for recipient in recipients {
            _ = try connection.command("RCPT TO:<\(recipient)>", expect: 250)
        }
        _ = try connection.command("DATA", expect: 354)
        try connection.write(Self.dotStuffed(message) + Array(".\r\n".utf8))
        let reply = try connection.expect(250)
        _ = try? connection.command("QUIT", expect: 221)
        return reply
    }

    static func hostname() -> String {
        var name = [CChar](repeating: 0, count: 256)
        gethostname(&name, name.count)
        let bytes = name.prefix { $0 != 0 }.map { UInt8(bitPattern: $0) }
        return bytes.isEmpty ? "localhost" : String(decoding: bytes, as: UTF8.self)
    }

    /// The message in SMTP DATA form: bare LF made CRLF, leading dots doubled, ending in CRLF.
    static func dotStuffed(_ message: [UInt8]) -> [UInt8] {
        var output: [UInt8] = []
        output.reserveCapacity(message.count + 64)
        var atLineStart = true
        var previous: UInt8 = 0
        for byte in message {
            if atLineStart && byte == UInt8(ascii: ".") {
                output.append(byte)
            }
            if byte == 0x0A && previous != 0x0D {
                output.append(0x0D)
            }
            output.append(byte)
            atLineStart = byte == 0x0A
            previous = byte
        }
        if !atLineStart {
            output += [0x0D, 0x0A]
        }
        return output
    }
}

/// A TCP connection to the relay with line-oriented reads.
private final class RelayConnection {
    private var descriptor: Int32
    private var buffer: [UInt8] = []
    private let name: String

    init(host: String, port: UInt16, timeout: TimeInterval) throws(SMTPError) {
        self.name = "\(host):\(port)"
        var hints = addrinfo()
        hints.ai_socktype = Int32(SOCK_STREAM.rawValue)
        var result: UnsafeMutablePointer<addrinfo>?
        guard getaddrinfo(host, String(port), &hints, &result) == 0, let first = result else {
            throw SMTPError("cannot resolve relay \(host)")
        }
        defer { freeaddrinfo(result) }
        self.descriptor = socket(first.pointee.ai_family, first.pointee.ai_socktype, 0)
        guard self.descriptor >= 0 else {
            throw SMTPError("cannot create a socket", errno: errno)
        }
        var limit = timeval(tv_sec: Int(timeout), tv_usec: 0)
        let size = socklen_t(MemoryLayout<timeval>.size)
        setsockopt(self.descriptor, SOL_SOCKET, SO_RCVTIMEO, &limit, size)
        setsockopt(self.descriptor, SOL_SOCKET, SO_SNDTIMEO, &limit, size)
        guard Glibc.connect(self.descriptor, first.pointee.ai_addr, first.pointee.ai_addrlen) == 0
        else {
            let code = errno
            Glibc.close(self.descriptor)
            throw SMTPError("cannot connect to relay \(self.name)", errno: code)
        }
    }

    func close() {
        if self.descriptor >= 0 {
            Glibc.close(self.descriptor)
            self.descriptor = -1
        }
    }

    func command(_ line: String, expect code: Int) throws(SMTPError) -> String {
        try self.write(Array((line + "\r\n").utf8))
        return try self.expect(code)
    }

    func write(_ bytes: [UInt8]) throws(SMTPError) {
        var offset = 0
        while offset < bytes.count {
            let sent = bytes[offset...].withUnsafeBytes {
                Glibc.send(self.descriptor, $0.baseAddress, $0.count, Int32(MSG_NOSIGNAL))
            }
            guard sent > 0 else {
                throw SMTPError("relay \(self.name) closed the connection")
            }
            offset += sent
        }
    }

    /// Reads a whole (possibly multi-line) reply, checks its code and returns its last line.
    func expect(_ code: Int) throws(SMTPError) -> String {
        while true {
            let line = try self.readLine()
            guard let received = Int(line.prefix(3)) else {
                throw SMTPError("relay \(self.name) sent '\(line)'")
            }
            if line.dropFirst(3).first == "-" {
                continue
            }
            guard received == code else {
                throw SMTPError("relay \(self.name) answered '\(line)'")
            }
            return line
        }
    }

    private func readLine() throws(SMTPError) -> String {
        while true {
            if let newline = self.buffer.firstIndex(of: 0x0A) {
                var line = Array(self.buffer[..<newline])
                self.buffer.removeFirst(newline + 1)
                if line.last == 0x0D {
                    line.removeLast()
                }
                return String(decoding: line, as: UTF8.self)
            }
            var chunk = [UInt8](repeating: 0, count: 4096)
            let count = recv(self.descriptor, &chunk, chunk.count, 0)
            guard count > 0 else {
                throw SMTPError("relay \(self.name) did not answer")
            }
            self.buffer += chunk[..<count]
        }
    }
}
