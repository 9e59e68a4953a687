// A small blocking SMTP client over a POSIX socket, fast enough to push hundreds of messages
// a second through a private Postfix. Every command returns the server's reply as a value;
// a closed connection or a slow server becomes a thrown HarnessError, never a crash or a hang.

import Foundation
import Glibc

/// One SMTP session to a server on 127.0.0.1. Use it from one thread at a time.
public final class SMTPClient {
    public let host: String
    public let port: UInt16
    /// Seconds to wait for each reply (and for each write to make progress).
    public let timeout: TimeInterval
    /// The 220 greeting, or whatever the server said first.
    public private(set) var greeting: SMTPResponse
    // Internal rather than private: SMTPClient+Socket.swift does the I/O on them.
    var descriptor: Int32
    var buffer: [UInt8] = []
    private var hasGreeted = false

    /// Connects to `host:port` and reads the greeting.
    public init(host: String = "127.0.0.1", port: UInt16, timeout: TimeInterval = 30) throws {
        self.host = host
        self.port = port
        self.timeout = timeout
        self.descriptor = try Self.connect(host: host, port: port, timeout: timeout)
        self.greeting = SMTPResponse(code: 0, enhancedStatus: nil, lines: [])
        do {
            self.greeting = try self.readResponse()
        } catch {
            self.close()
            throw error
        }
    }

    deinit {
        self.close()
    }

    /// True until `close()`, `quit()` or a connection failure.
    public var isConnected: Bool {
        self.descriptor >= 0
    }

    // MARK: Commands

    /// Sends one command line (without CRLF) and returns the reply.
    public func command(_ line: String) throws -> SMTPResponse {
        try self.write(Array((line + "\r\n").utf8))
        return try self.readResponse()
    }

    public func ehlo(_ name: String = "client.sluice.test") throws -> SMTPResponse {
        let reply = try self.command("EHLO \(name)")
        self.hasGreeted = reply.isPositive
        return reply
    }

    public func helo(_ name: String = "client.sluice.test") throws -> SMTPResponse {
        let reply = try self.command("HELO \(name)")
        self.hasGreeted = reply.isPositive
        return reply
    }

    /// `MAIL FROM:<address>`, followed by any ESMTP parameters ("SIZE=100 BODY=8BITMIME").
    public func mailFrom(_ address: String, parameters: String = "") throws -> SMTPResponse {
        let suffix = parameters.isEmpty ? "" : " " + parameters
        return try self.command("MAIL FROM:<\(address)>\(suffix)")
    }

    public func rcptTo(_ address: String, parameters: String = "") throws -> SMTPResponse {
        let suffix = parameters.isEmpty ? "" : " " + parameters
        return try self.command("RCPT TO:<\(address)>\(suffix)")
    }

    /// Sends DATA and, after a 354, the message in canonical form, dot-stuffed, followed by
    /// the terminating dot. Returns the 354-less reply: the final one, or DATA's refusal.
    public func data(_ message: [UInt8]) throws -> SMTPResponse {
        let start = try self.command("DATA")
        guard start.code == 354 else {
            return start
        }
        try self.write(Self.dotStuffed(Self.canonicalForm(message)) + Array(".\r\n".utf8))
        return try self.readResponse()
    }

    public func rset() throws -> SMTPResponse {
        try self.command("RSET")
    }

    public func noop() throws -> SMTPResponse {
        try self.command("NOOP")
    }

    /// Sends QUIT, reads the reply and closes the connection.
    @discardableResult
    public func quit() throws -> SMTPResponse {
        defer { self.close() }
        return try self.command("QUIT")
    }

    /// Closes the socket without QUIT (as a crashing client would).
    public func close() {
        if self.descriptor >= 0 {
            Glibc.close(self.descriptor)
            self.descriptor = -1
        }
    }

    // MARK: Whole transactions

    /// Runs one mail transaction (EHLO first if needed) and returns the final reply after
    /// the message, or the first reply that refused the transaction. After a refusal the
    /// client sends RSET, so the session can carry on with the next message.
    public func send(
        message: [UInt8], from sender: String, to recipients: [String]
    ) throws -> SMTPResponse {
        if !self.hasGreeted {
            let hello = try self.ehlo()
            guard hello.isPositive else { return hello }
        }
        let mail = try self.mailFrom(sender)
        guard mail.isPositive else {
            return mail
        }
        for recipient in recipients {
            let rcpt = try self.rcptTo(recipient)
            guard rcpt.isPositive else {
                self.resetQuietly()
                return rcpt
            }
        }
        let final = try self.data(message)
        if !final.isPositive {
            self.resetQuietly()
        }
        return final
    }

    public func send(
        message: String, from sender: String, to recipients: [String]
    ) throws -> SMTPResponse {
        try self.send(message: Array(message.utf8), from: sender, to: recipients)
    }

    public func send(
        message: Data, from sender: String, to recipients: [String]
    ) throws -> SMTPResponse {
        try self.send(message: [UInt8](message), from: sender, to: recipients)
    }

    // MARK: Message form

    /// The message as it travels in DATA, before dot-stuffing: every line ends in CRLF
    /// (a lone LF becomes CRLF; a lone CR is left alone) and the last line is terminated.
    /// Compare what a server received against this, not against the raw input.
    public static func canonicalForm(_ message: [UInt8]) -> [UInt8] {
        var output: [UInt8] = []
        output.reserveCapacity(message.count + message.count / 32 + 2)
        var previous: UInt8 = 0
        for byte in message {
            if byte == 0x0A && previous != 0x0D {
                output.append(0x0D)
            }
            output.append(byte)
            previous = byte
        }
        if !output.isEmpty && previous != 0x0A {
            output.append(contentsOf: [0x0D, 0x0A])
        }
        return output
    }

    public static func canonicalForm(_ message: String) -> [UInt8] {
        self.canonicalForm(Array(message.utf8))
    }

    /// Doubles a leading dot on every line (RFC 5321 section 4.5.2).
    static func dotStuffed(_ canonical: [UInt8]) -> [UInt8] {
        var output: [UInt8] = []
        output.reserveCapacity(canonical.count + 16)
        var atLineStart = true
        for byte in canonical {
            if atLineStart && byte == 0x2E {
                output.append(0x2E)
            }
            output.append(byte)
            atLineStart = byte == 0x0A
        }
        return output
    }

    private func resetQuietly() {
        guard self.isConnected else { return }
        _ = try? self.rset()
    }
}
