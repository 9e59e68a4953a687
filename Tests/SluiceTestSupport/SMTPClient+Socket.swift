// The socket half of SMTPClient: connect, write everything, read reply lines, each bounded
// by the client's timeout. MSG_NOSIGNAL keeps a server hang-up from raising SIGPIPE.

import Foundation
import Glibc

extension SMTPClient {
    static func connect(host: String, port: UInt16, timeout: TimeInterval) throws -> Int32 {
        let subject = "smtp client \(host):\(port)"
        let descriptor = socket(AF_INET, Int32(SOCK_STREAM.rawValue | SOCK_CLOEXEC.rawValue), 0)
        guard descriptor >= 0 else {
            throw HarnessError.system("socket", subject: subject)
        }
        var enabled: Int32 = 1
        setsockopt(
            descriptor, Int32(IPPROTO_TCP), TCP_NODELAY, &enabled,
            socklen_t(MemoryLayout<Int32>.size))
        var limit = timeval(
            tv_sec: Int(timeout), tv_usec: Int((timeout - timeout.rounded(.down)) * 1_000_000))
        setsockopt(
            descriptor, SOL_SOCKET, SO_SNDTIMEO, &limit, socklen_t(MemoryLayout<timeval>.size))

        var address = sockaddr_in()
        address.sin_family = sa_family_t(AF_INET)
        address.sin_port = port.bigEndian
        address.sin_addr.s_addr = inet_addr(host)
        let connected = withUnsafePointer(to: &address) { pointer in
            pointer.withMemoryRebound(to: sockaddr.self, capacity: 1) {
                Glibc.connect(descriptor, $0, socklen_t(MemoryLayout<sockaddr_in>.size)) == 0
            }
        }
        guard connected else {
            let error = HarnessError.system("connect", subject: subject)
            Glibc.close(descriptor)
            throw error
        }
        return descriptor
    }

    func write(_ bytes: [UInt8]) throws {
        var offset = 0
        while offset < bytes.count {
            guard self.isConnected else {
                throw self.closedError("while writing")
            }
            let sent = bytes.withUnsafeBytes { raw in
                Glibc.send(
                    self.descriptor, raw.baseAddress.map { $0 + offset },
                    bytes.count - offset, Int32(MSG_NOSIGNAL))
            }
            if sent < 0 && errno == EINTR {
                continue
            }
            guard sent > 0 else {
                let error =
                    errno == EAGAIN
                    ? HarnessError(
                        .timeout, subject: self.subject, problem: "write timed out",
                        detail: "no progress for \(self.timeout) s")
                    : self.closedError("while writing: \(String(cString: strerror(errno)))")
                self.close()
                throw error
            }
            offset += sent
        }
    }

    /// Reads one complete reply; continuation lines ("250-") are collected until "250 ".
    func readResponse() throws -> SMTPResponse {
        let deadline = Date().addingTimeInterval(self.timeout)
        var lines: [String] = []
        for _ in 0..<1000 {
            let line = try self.readLine(deadline: deadline)
            lines.append(line)
            let bytes = Array(line.utf8)
            if bytes.count < 4 || bytes[3] != UInt8(ascii: "-") {
                break
            }
        }
        guard let reply = SMTPResponse(rawLines: lines) else {
            self.close()
            throw HarnessError(
                .protocolViolation, subject: self.subject, problem: "malformed reply",
                detail: lines.joined(separator: " | "))
        }
        return reply
    }

    private func readLine(deadline: Date) throws -> String {
        while true {
            if let end = self.lineEnd() {
                var line = self.buffer[0..<end]
                self.buffer.removeFirst(end)
                while let last = line.last, last == 0x0A || last == 0x0D {
                    line = line.dropLast()
                }
                return String(decoding: line, as: UTF8.self)
            }
            try self.fill(deadline: deadline)
        }
    }

    /// The index just past the first LF in the buffer, if there is one.
    private func lineEnd() -> Int? {
        self.buffer.firstIndex(of: 0x0A).map { $0 + 1 }
    }

    private func fill(deadline: Date) throws {
        guard self.isConnected else {
            throw self.closedError("before the reply")
        }
        let remaining = deadline.timeIntervalSinceNow
        var poller = pollfd(fd: self.descriptor, events: Int16(POLLIN), revents: 0)
        let ready = poll(&poller, 1, Int32(max(0, remaining) * 1000))
        if ready < 0 && errno == EINTR {
            return
        }
        guard ready > 0 else {
            self.close()
            throw HarnessError(
                .timeout, subject: self.subject, problem: "no reply",
                detail: "waited \(self.timeout) s")
        }
        var chunk = [UInt8](repeating: 0, count: 16 * 1024)
        let received = chunk.withUnsafeMutableBytes { raw in
            recv(self.descriptor, raw.baseAddress, raw.count, 0)
        }
        if received < 0 && errno == EINTR {
            return
        }
        guard received > 0 else {
            let reason = received == 0 ? "server closed the connection" : "recv failed"
            self.close()
            throw self.closedError(reason)
        }
        self.buffer.append(contentsOf: chunk[0..<received])
    }

    var subject: String {
        "smtp client \(self.host):\(self.port)"
    }

    private func closedError(_ detail: String) -> HarnessError {
        HarnessError(
            .connectionClosed, subject: self.subject, problem: "connection closed",
            detail: detail)
    }
}
