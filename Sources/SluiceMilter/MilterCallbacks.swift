// The libmilter callbacks: each stage of the milter protocol lands here, on the thread
// libmilter runs for that connection. Stages before end of message only collect; the scan,
// the decision and its reply happen at end of message. Nothing from libmilter leaves this
// target.

import CMilter
import CMilterShim
import Foundation
import SluicePolicy
import Synchronization

#if canImport(Glibc)
import Glibc
#endif

/// Set once before `smfi_main` starts any connection thread, read by every callback.
nonisolated(unsafe) var milterRuntime: MilterRuntime?

/// Connections with a live session, so a stop need not wait for libmilter's idle poll.
let openSessions = Atomic<Int>(0)

enum MilterCallbacks {
    /// Protocol steps answered with "no reply", so headers and body chunks cost no round trip.
    static let noReplySteps =
        UInt(SMFIP_NR_CONN) | UInt(SMFIP_NR_HELO) | UInt(SMFIP_NR_MAIL) | UInt(SMFIP_NR_RCPT)
        | UInt(SMFIP_NR_HDR) | UInt(SMFIP_NR_EOH) | UInt(SMFIP_NR_BODY)

    /// Stages Sluice never needs.
    static let skippedSteps = UInt(SMFIP_NOUNKNOWN) | UInt(SMFIP_NODATA)

    /// Everything the filter may do to a message.
    static let actions =
        UInt(SMFIF_ADDHDRS) | UInt(SMFIF_ADDRCPT) | UInt(SMFIF_DELRCPT)
        | UInt(SMFIF_QUARANTINE) | UInt(SMFIF_SETSYMLIST)

    /// The filter description handed to `smfi_register`.
    static func description() -> smfiDesc {
        var description = smfiDesc()
        // libmilter keeps the name pointer for the life of the process.
        description.xxfi_name = strdup("sluice")
        description.xxfi_version = SMFI_VERSION
        description.xxfi_flags = self.actions
        description.xxfi_connect = { context, hostname, address in
            MilterCallbacks.connect(context, hostname, address)
        }
        description.xxfi_helo = { context, name in MilterCallbacks.helo(context, name) }
        description.xxfi_envfrom = { context, argv in MilterCallbacks.mailFrom(context, argv) }
        description.xxfi_envrcpt = { context, argv in MilterCallbacks.recipient(context, argv) }
        description.xxfi_header = { context, name, value in
            MilterCallbacks.header(context, name, value)
        }
        description.xxfi_eoh = { context in MilterCallbacks.endOfHeaders(context) }
        description.xxfi_body = { context, bytes, length in
            MilterCallbacks.body(context, bytes, length)
        }
        description.xxfi_eom = { context in MilterCallbacks.endOfMessage(context) }
        description.xxfi_abort = { context in MilterCallbacks.abort(context) }
        description.xxfi_close = { context in MilterCallbacks.close(context) }
        description.xxfi_unknown = { _, _ in sfsistat(SMFIS_CONTINUE) }
        description.xxfi_data = { _ in sfsistat(SMFIS_CONTINUE) }
        description.xxfi_negotiate = { context, f0, f1, _, _, p0, p1, p2, p3 in
            MilterCallbacks.negotiate(context, f0, f1, p0, p1, p2, p3)
        }
        return description
    }

    // MARK: - Session access

    static func session(_ context: OpaquePointer?) -> MilterSession {
        if let pointer = smfi_getpriv(context) {
            return Unmanaged<MilterSession>.fromOpaque(pointer).takeUnretainedValue()
        }
        let session = MilterSession()
        smfi_setpriv(context, Unmanaged.passRetained(session).toOpaque())
        openSessions.add(1, ordering: .relaxed)
        return session
    }

    static func symbol(_ context: OpaquePointer?, _ name: String) -> String? {
        var bytes = Array(name.utf8CString)
        return bytes.withUnsafeMutableBufferPointer { buffer -> String? in
            guard let value = smfi_getsymval(context, buffer.baseAddress) else {
                return nil
            }
            let text = String(cString: value)
            return text.isEmpty ? nil : text
        }
    }

    /// The reply for a stage that only collects.
    static func collected(_ session: MilterSession) -> sfsistat {
        sfsistat(session.noReply ? SMFIS_NOREPLY : SMFIS_CONTINUE)
    }

    // MARK: - Stages

    static func negotiate(
        _ context: OpaquePointer?, _ offeredActions: UInt, _ offeredSteps: UInt,
        _ actions: UnsafeMutablePointer<UInt>?, _ steps: UnsafeMutablePointer<UInt>?,
        _ unused2: UnsafeMutablePointer<UInt>?, _ unused3: UnsafeMutablePointer<UInt>?
    ) -> sfsistat {
        let session = self.session(context)
        session.noReply = offeredSteps & self.noReplySteps == self.noReplySteps
        var wanted = offeredSteps & self.skippedSteps
        if session.noReply {
            wanted |= self.noReplySteps
        }
        // Header values with their leading space, so the message is rebuilt as received.
        wanted |= offeredSteps & UInt(SMFIP_HDR_LEADSPC)
        session.leadingSpace = wanted & UInt(SMFIP_HDR_LEADSPC) != 0

        actions?.pointee = offeredActions & self.actions
        steps?.pointee = wanted
        unused2?.pointee = 0
        unused3?.pointee = 0

        if offeredActions & UInt(SMFIF_SETSYMLIST) != 0 {
            self.requestMacros(context)
        }
        return sfsistat(SMFIS_CONTINUE)
    }

    /// Asks the MTA for the macros Sluice reads, whatever its own defaults are.
    static func requestMacros(_ context: OpaquePointer?) {
        let lists: [(Int32, String)] = [
            (SMFIM_CONNECT, "j {daemon_name} {client_addr} {client_name}"),
            (SMFIM_ENVFROM, "i {auth_type} {auth_authen}"),
            (SMFIM_EOM, "i"),
        ]
        for (stage, macros) in lists {
            var bytes = Array(macros.utf8CString)
            _ = bytes.withUnsafeMutableBufferPointer {
                smfi_setsymlist(context, stage, $0.baseAddress)
            }
        }
    }

    static func connect(
        _ context: OpaquePointer?, _ hostname: UnsafeMutablePointer<CChar>?,
        _ address: UnsafeMutablePointer<sockaddr>?
    ) -> sfsistat {
        let session = self.session(context)
        session.envelope.clientName = hostname.map { String(cString: $0) }
        session.envelope.clientAddress =
            address.flatMap(self.numericAddress) ?? self.symbol(context, "{client_addr}")
        session.envelope.daemonName = self.symbol(context, "{daemon_name}")
        return self.collected(session)
    }

    static func numericAddress(_ address: UnsafeMutablePointer<sockaddr>) -> String? {
        let length: socklen_t
        switch Int32(address.pointee.sa_family) {
        case AF_INET: length = socklen_t(MemoryLayout<sockaddr_in>.size)
        case AF_INET6: length = socklen_t(MemoryLayout<sockaddr_in6>.size)
        default: return nil
        }
        var host = [CChar](repeating: 0, count: Int(NI_MAXHOST))
        let status = getnameinfo(
            address, length, &host, socklen_t(host.count), nil, 0, NI_NUMERICHOST)
        guard status == 0 else {
            return nil
        }
        return String(
            decoding: host.prefix { $0 != 0 }.map { UInt8(bitPattern: $0) },
            as: UTF8.self)
    }

    static func helo(_ context: OpaquePointer?, _ name: UnsafeMutablePointer<CChar>?) -> sfsistat {
        let session = self.session(context)
        session.envelope.helo = name.map { String(cString: $0) }
        return self.collected(session)
    }

    static func mailFrom(
        _ context: OpaquePointer?, _ argv: UnsafeMutablePointer<UnsafeMutablePointer<CChar>?>?
    ) -> sfsistat {
        let session = self.session(context)
        session.resetMessage()
        session.envelope.sender = self.address(argv?.pointee)
        session.envelope.authenticatedUser = self.symbol(context, "{auth_authen}")
        return self.collected(session)
    }

    static func recipient(
        _ context: OpaquePointer?, _ argv: UnsafeMutablePointer<UnsafeMutablePointer<CChar>?>?
    ) -> sfsistat {
        let session = self.session(context)
        session.envelope.recipients.append(self.address(argv?.pointee))
        return self.collected(session)
    }

    /// An envelope address without its angle brackets.
    static func address(_ argument: UnsafeMutablePointer<CChar>?) -> String {
        guard let argument else {
            return ""
        }
        var text = Substring(String(cString: argument))
        if text.hasPrefix("<") && text.hasSuffix(">") {
            text = text.dropFirst().dropLast()
        }
        return String(text)
    }

    static func header(
        _ context: OpaquePointer?, _ name: UnsafeMutablePointer<CChar>?,
        _ value: UnsafeMutablePointer<CChar>?
    ) -> sfsistat {
        let session = self.session(context)
        guard session.failure == nil, let name, let value, let runtime = milterRuntime else {
            return self.collected(session)
        }
        if session.messageID == nil && strcasecmp(name, "Message-ID") == 0 {
            // Foundation's trimming is slow on Linux, and this runs for every message.
            let scalars = String(cString: value).unicodeScalars
            let start = scalars.firstIndex { $0 != " " && $0 != "\t" } ?? scalars.endIndex
            let end = scalars.lastIndex { $0 != " " && $0 != "\t" }.map(scalars.index(after:))
            session.messageID = String(scalars[start..<max(start, end ?? start)])
        }
        let settings = runtime.current.settings
        let spool = session.spool(
            memoryLimit: settings.memoryLimit, directory: settings.spoolDirectory)
        do {
            try spool.append(
                HeaderLine.bytes(name: name, value: value, leadingSpace: session.leadingSpace))
        } catch {
            session.fail(error)
        }
        return self.collected(session)
    }

    static func endOfHeaders(_ context: OpaquePointer?) -> sfsistat {
        let session = self.session(context)
        if session.failure == nil, let runtime = milterRuntime {
            let settings = runtime.current.settings
            let spool = session.spool(
                memoryLimit: settings.memoryLimit, directory: settings.spoolDirectory)
            do {
                try spool.append([0x0D, 0x0A])
            } catch {
                session.fail(error)
            }
        }
        return self.collected(session)
    }

    static func body(
        _ context: OpaquePointer?, _ bytes: UnsafeMutablePointer<UInt8>?, _ length: Int
    ) -> sfsistat {
        let session = self.session(context)
        guard session.failure == nil, let bytes, length > 0, let spool = session.spool else {
            return self.collected(session)
        }
        do {
            try spool.append(UnsafeRawBufferPointer(start: bytes, count: length))
        } catch {
            session.fail(error)
        }
        return self.collected(session)
    }

    static func endOfMessage(_ context: OpaquePointer?) -> sfsistat {
        let session = self.session(context)
        defer { session.resetMessage() }
        guard let runtime = milterRuntime else {
            return sfsistat(SMFIS_TEMPFAIL)
        }
        if session.envelope.queueID == nil {
            session.envelope.queueID = self.symbol(context, "i")
        }
        return MilterAction.finish(context, session: session, runtime: runtime)
    }

    static func abort(_ context: OpaquePointer?) -> sfsistat {
        self.session(context).resetMessage()
        return sfsistat(SMFIS_CONTINUE)
    }

    static func close(_ context: OpaquePointer?) -> sfsistat {
        if let pointer = smfi_getpriv(context) {
            smfi_setpriv(context, nil)
            Unmanaged<MilterSession>.fromOpaque(pointer).release()
            openSessions.subtract(1, ordering: .relaxed)
        }
        return sfsistat(SMFIS_CONTINUE)
    }
}
