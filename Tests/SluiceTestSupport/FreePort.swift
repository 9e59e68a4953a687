// Finds loopback TCP ports nobody listens on, for smtp-sink and private Postfix instances.
// Postfix and smtp-sink bind with SO_REUSEPORT, so a clash would not fail: avoid handing out
// a port twice within this process, and let the kernel pick ports nobody else holds.

import Foundation
import Glibc

/// Hands out free TCP ports on 127.0.0.1.
public enum FreePort {
    private static let handedOut = Locked<Set<UInt16>>([])

    /// A port the kernel reports unused on 127.0.0.1, never returned before by this process.
    public static func next() throws -> UInt16 {
        for _ in 0..<50 {
            let port = try self.kernelChosenPort()
            let isNew = self.handedOut.withLock { $0.insert(port).inserted }
            if isNew {
                return port
            }
        }
        throw HarnessError(
            .systemCall, subject: "free port", problem: "no unused port after 50 attempts")
    }

    private static func kernelChosenPort() throws -> UInt16 {
        let descriptor = socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
        guard descriptor >= 0 else {
            throw HarnessError.system("socket", subject: "free port")
        }
        defer { close(descriptor) }

        var address = sockaddr_in()
        address.sin_family = sa_family_t(AF_INET)
        address.sin_port = 0
        address.sin_addr.s_addr = inet_addr("127.0.0.1")
        var length = socklen_t(MemoryLayout<sockaddr_in>.size)
        let bound = withUnsafeMutablePointer(to: &address) { pointer in
            pointer.withMemoryRebound(to: sockaddr.self, capacity: 1) { socketAddress in
                bind(descriptor, socketAddress, length) == 0
                    && getsockname(descriptor, socketAddress, &length) == 0
            }
        }
        guard bound else {
            throw HarnessError.system("bind", subject: "free port")
        }
        return UInt16(bigEndian: address.sin_port)
    }
}
