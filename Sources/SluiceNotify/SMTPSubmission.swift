// A small blocking SMTP client for notifications: one connection per message to a relay on
// loopback or the local network, every reply checked, timeouts on every read.

import Foundation

#if canImport(Glibc)
import Glibc
#endif

struct SMTPSubmission {
    var host: String
    var port: UInt16
    var timeout: TimeInterval

    func send(_ message: [UInt8], from: String, to: [String]) throws {
        let connection = try Connection(host: self.host, port: self.port, timeout: self.timeout)
        defer { connection.close() }
        try connection.expect(220)
        try connection.command("EHLO \(Self.hostname())", expect: 250)
        try connection.command("MAIL FROM:<\(from)>", expect: 250)
        for recipient in to {
            try connection.command("RCPT TO:<\(recipient)>", expect: 250)
        }
        try connection.command("DATA", expect: 354)
        try connection.write(Self.dotStuffed(message) + Array(".\r\n".utf8))
        try connection.expect(250)
        try? connection.command("QUIT", expect: 221)
    }

    static func hostname() -> String {
        var name = [CChar](repeating: 0, count: 256)
        gethostname(&name, name.count)
        let bytes = name.prefix { $0 != 0 }.map { UInt8(bitPattern: $0) }
        return bytes.isEmpty ? "localhost" : String(decoding: bytes, as: UTF8.self)
    }

    static func dotStuffed(_ message: [UInt8]) -> [UInt8] {
        var output: [UInt8] = []
        output.reserveCapacity(message.count + 16)
        var atLineStart = true
        for byte in message {
            if atLineStart && byte == UInt8(ascii: ".") {
                output.append(byte)
            }
            output.append(byte)
            atLineStart = byte == 0x0A
        }
        if !atLineStart {
            output += [0x0D, 0x0A]
        }
        return output
    }

    /// One TCP connection with line-oriented reads.
    final class Connection {
        private var descriptor: Int32
        private var buffer: [UInt8] = []

        init(host: String, port: UInt16, timeout: TimeInterval) throws {
            var hints = addrinfo()
            hints.ai_socktype = Int32(SOCK_STREAM.rawValue)
            var result: UnsafeMutablePointer<addrinfo>?
            guard getaddrinfo(host, String(port), &hints, &result) == 0, let first = result else {
                throw NotifyError("mail", "cannot resolve relay \(host)")
            }
            defer { freeaddrinfo(result) }
            self.descriptor = socket(first.pointee.ai_family, first.pointee.ai_socktype, 0)
            guard self.descriptor >= 0 else {
                throw NotifyError("mail", "cannot create a socket")
            }
            var limit = timeval(tv_sec: Int(timeout), tv_usec: 0)
            setsockopt(
                self.descriptor, SOL_SOCKET, SO_RCVTIMEO, &limit,
                socklen_t(MemoryLayout<timeval>.size))
            setsockopt(
                self.descriptor, SOL_SOCKET, SO_SNDTIMEO, &limit,
                socklen_t(MemoryLayout<timeval>.size))
            guard
                Glibc.connect(self.descriptor, first.pointee.ai_addr, first.pointee.ai_addrlen) == 0
            else {
                let reason = String(cString: strerror(errno))
                Glibc.close(self.descriptor)
                throw NotifyError("mail", "cannot connect to relay \(host):\(port): \(reason)")
            }
        }

        func close() {
            if self.descriptor >= 0 {
                Glibc.close(self.descriptor)
                self.descriptor = -1
            }
        }

        func command(_ line: String, expect code: Int) throws {
            try self.write(Array((line + "\r\n").utf8))
            try self.expect(code)
        }

        func write(_ bytes: [UInt8]) throws {
            var offset = 0
            while offset < bytes.count {
                let sent = bytes[offset...].withUnsafeBytes {
                    Glibc.send(self.descriptor, $0.baseAddress, $0.count, Int32(MSG_NOSIGNAL))
                }
                guard sent > 0 else {
                    throw NotifyError("mail", "relay closed the connection")
                }
                offset += sent
            }
        }

        /// Reads a whole (possibly multi-line) reply and checks its code.
        func expect(_ code: Int) throws {
            while true {
                let line = try self.readLine()
                let digits = line.prefix(3)
                guard let received = Int(digits) else {
                    throw NotifyError("mail", "relay sent '\(line)'")
                }
                if line.dropFirst(3).first == "-" {
                    continue
                }
                guard received == code else {
                    throw NotifyError("mail", "relay answered '\(line)'")
                }
                return
            }
        }

        private func readLine() throws -> String {
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
                    throw NotifyError("mail", "relay did not answer")
                }
                self.buffer += chunk[..<count]
            }
        }
    }
}
