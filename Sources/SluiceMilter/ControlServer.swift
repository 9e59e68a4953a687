// A small HTTP server for operators: `/status` (JSON, read by `sluice status`) on a unix
// control socket, and `/metrics` (Prometheus) on the same socket and, when configured, on a
// loopback TCP port. One thread accepts; requests are tiny and answered inline.

import Foundation

#if canImport(Glibc)
import Glibc
#endif

final class ControlServer: @unchecked Sendable {
    private let descriptor: Int32
    private let respond: @Sendable (String) -> (status: String, type: String, body: String)
    private var running = true

    /// Listens on the unix socket at `path` (mode 0660) or, for `host:port`, on TCP.
    init(
        unixPath: String? = nil, host: String? = nil, port: UInt16 = 0,
        respond: @escaping @Sendable (String) -> (status: String, type: String, body: String)
    ) throws(MilterError) {
        self.respond = respond
        if let unixPath {
            self.descriptor = try Self.listenUnix(unixPath)
        } else {
            self.descriptor = try Self.listenTCP(host: host ?? "127.0.0.1", port: port)
        }
        let thread = Thread { [self] in self.serve() }
        thread.name = "sluice-control"
        thread.start()
    }

    func stop() {
        self.running = false
        shutdown(self.descriptor, Int32(SHUT_RDWR))
        close(self.descriptor)
    }

    private func serve() {
        while self.running {
            let client = accept(self.descriptor, nil, nil)
            if client < 0 {
                if errno == EINTR {
                    continue
                }
                return
            }
            self.handle(client)
            close(client)
        }
    }

    private func handle(_ client: Int32) {
        var limit = timeval(tv_sec: 2, tv_usec: 0)
        setsockopt(client, SOL_SOCKET, SO_RCVTIMEO, &limit, socklen_t(MemoryLayout<timeval>.size))
        var request: [UInt8] = []
        var chunk = [UInt8](repeating: 0, count: 2048)
        while request.count < 8192 {
            let count = recv(client, &chunk, chunk.count, 0)
            guard count > 0 else {
                break
            }
            request += chunk[..<count]
            if request.count >= 4 && request.suffix(4).elementsEqual([13, 10, 13, 10]) {
                break
            }
        }
        let line = String(decoding: request.prefix { $0 != 13 && $0 != 10 }, as: UTF8.self)
        let words = line.split(separator: " ")
        let path = words.count >= 2 && words[0] == "GET" ? String(words[1]) : ""
        let answer: (status: String, type: String, body: String) =
            path.isEmpty ? ("400 Bad Request", "text/plain", "expected GET\n") : self.respond(path)
        let body = Array(answer.body.utf8)
        let head =
            "HTTP/1.0 \(answer.status)\r\nContent-Type: \(answer.type)\r\n"
            + "Content-Length: \(body.count)\r\nConnection: close\r\n\r\n"
        let bytes = Array(head.utf8) + body
        var offset = 0
        while offset < bytes.count {
            let sent = bytes[offset...].withUnsafeBytes {
                send(client, $0.baseAddress, $0.count, Int32(MSG_NOSIGNAL))
            }
            guard sent > 0 else {
                return
            }
            offset += sent
        }
    }

    private static func listenUnix(_ path: String) throws(MilterError) -> Int32 {
        let descriptor = socket(AF_UNIX, Int32(SOCK_STREAM.rawValue), 0)
        guard descriptor >= 0 else {
            throw MilterError("control socket", "cannot create", errno: errno)
        }
        unlink(path)
        var address = sockaddr_un()
        address.sun_family = sa_family_t(AF_UNIX)
        let bytes = Array(path.utf8)
        guard bytes.count < MemoryLayout.size(ofValue: address.sun_path) else {
            close(descriptor)
            throw MilterError("control socket", "path too long: \(path)")
        }
        withUnsafeMutableBytes(of: &address.sun_path) { buffer in
            for (index, byte) in bytes.enumerated() {
                buffer[index] = byte
            }
        }
        let bound = withUnsafePointer(to: &address) { pointer in
            pointer.withMemoryRebound(to: sockaddr.self, capacity: 1) {
                bind(descriptor, $0, socklen_t(MemoryLayout<sockaddr_un>.size))
            }
        }
        guard bound == 0, listen(descriptor, 16) == 0 else {
            let number = errno
            close(descriptor)
            throw MilterError("control socket", "cannot listen on \(path)", errno: number)
        }
        chmod(path, 0o660)
        return descriptor
    }

    private static func listenTCP(host: String, port: UInt16) throws(MilterError) -> Int32 {
        var hints = addrinfo()
        hints.ai_socktype = Int32(SOCK_STREAM.rawValue)
        hints.ai_flags = AI_PASSIVE
        var result: UnsafeMutablePointer<addrinfo>?
        guard getaddrinfo(host, String(port), &hints, &result) == 0, let first = result else {
            throw MilterError("metrics", "cannot resolve \(host)")
        }
        defer { freeaddrinfo(result) }
        let descriptor = socket(first.pointee.ai_family, first.pointee.ai_socktype, 0)
        guard descriptor >= 0 else {
            throw MilterError("metrics", "cannot create a socket", errno: errno)
        }
        var yes: Int32 = 1
        setsockopt(descriptor, SOL_SOCKET, SO_REUSEADDR, &yes, socklen_t(MemoryLayout<Int32>.size))
        guard bind(descriptor, first.pointee.ai_addr, first.pointee.ai_addrlen) == 0,
            listen(descriptor, 16) == 0
        else {
            let number = errno
            close(descriptor)
            throw MilterError("metrics", "cannot listen on \(host):\(port)", errno: number)
        }
        return descriptor
    }
}
