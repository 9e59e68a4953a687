// `sluice status`: asks the running daemon over its control socket for its version, uptime,
// what configuration and dictionaries it loaded and when, and messages by action. Says
// plainly when no daemon answers.

import Foundation
import SluicePolicy

#if canImport(Glibc)
import Glibc
#endif

enum StatusCommand {
    /// Exit status when no daemon answers, as init scripts use for "not running".
    static let notRunning: Int32 = 3

    static func run(_ arguments: [String]) throws(UsageError) -> Int32 {
        let parsed = try CommandArguments(arguments, options: ["--config"], flags: ["--json"])
        guard parsed.positionals.isEmpty else {
            throw UsageError(message: "unexpected argument '\(parsed.positionals[0])'")
        }
        let configuration: Configuration
        do {
            configuration = try ConfigLoading.load(parsed.value("--config"), optional: true)
        } catch {
            Output.error("sluice: \(error)")
            return ExitCode.config
        }
        let socket = configuration.milter.controlSocket
        guard let body = self.fetch("/status", socket: socket),
            let object = try? JSONSerialization.jsonObject(with: Data(body.utf8)) as? [String: Any]
        else {
            Output.error("sluice: not running (no answer on \(socket))")
            return self.notRunning
        }
        if parsed.has("--json") {
            Output.print(body)
            return ExitCode.success
        }
        let config = object["config"] as? [String: Any] ?? [:]
        let dictionaries = object["dictionaries"] as? [String: Any] ?? [:]
        let messages = (object["messages"] as? [String: Int] ?? [:]).sorted { $0.key < $1.key }
        let digest = { (value: Any?) in String((value as? String ?? "").prefix(12)) }
        var lines = [
            "sluice \(object["version"] as? String ?? "?") running, pid \(object["pid"] ?? "?")",
            "uptime:        \(self.duration(object["uptime_seconds"] as? Int ?? 0))"
                + " (since \(object["started"] as? String ?? "?"))",
            "config:        \(config["path"] as? String ?? "?") sha256 \(digest(config["sha256"]))"
                + " loaded \(config["loaded"] as? String ?? "?")",
            "dictionaries:  \(dictionaries["path"] as? String ?? "?")"
                + " sha256 \(digest(dictionaries["sha256"]))",
            "reloads:       \(object["reloads"] ?? 0)",
        ]
        let counts = messages.map { "\($0.key) \($0.value)" }.joined(separator: ", ")
        lines.append("messages:      " + (counts.isEmpty ? "none yet" : counts))
        Output.print(lines.joined(separator: "\n"))
        return ExitCode.success
    }

    static func duration(_ seconds: Int) -> String {
        let days = seconds / 86_400
        let hours = seconds % 86_400 / 3600
        let minutes = seconds % 3600 / 60
        return days > 0
            ? "\(days)d \(hours)h \(minutes)m" : "\(hours)h \(minutes)m \(seconds % 60)s"
    }

    /// GETs `path` over the unix socket; nil when nothing answers.
    static func fetch(_ path: String, socket socketPath: String) -> String? {
        let descriptor = Glibc.socket(AF_UNIX, Int32(SOCK_STREAM.rawValue), 0)
        guard descriptor >= 0 else {
            return nil
        }
        defer { close(descriptor) }
        var limit = timeval(tv_sec: 5, tv_usec: 0)
        setsockopt(
            descriptor, SOL_SOCKET, SO_RCVTIMEO, &limit, socklen_t(MemoryLayout<timeval>.size))
        var address = sockaddr_un()
        address.sun_family = sa_family_t(AF_UNIX)
        let bytes = Array(socketPath.utf8)
        guard bytes.count < MemoryLayout.size(ofValue: address.sun_path) else {
            return nil
        }
        withUnsafeMutableBytes(of: &address.sun_path) { buffer in
            for (index, byte) in bytes.enumerated() {
                buffer[index] = byte
            }
        }
        let connected = withUnsafePointer(to: &address) { pointer in
            pointer.withMemoryRebound(to: sockaddr.self, capacity: 1) {
                connect(descriptor, $0, socklen_t(MemoryLayout<sockaddr_un>.size)) == 0
            }
        }
        guard connected else {
            return nil
        }
        let request = Array("GET \(path) HTTP/1.0\r\n\r\n".utf8)
        _ = request.withUnsafeBytes { send(descriptor, $0.baseAddress, $0.count, 0) }
        var response: [UInt8] = []
        var chunk = [UInt8](repeating: 0, count: 4096)
        while true {
            let count = recv(descriptor, &chunk, chunk.count, 0)
            guard count > 0 else {
                break
            }
            response += chunk[..<count]
        }
        let text = String(decoding: response, as: UTF8.self)
        guard text.hasPrefix("HTTP/1.0 200"), let split = text.range(of: "\r\n\r\n") else {
            return nil
        }
        return String(text[split.upperBound...])
    }
}
