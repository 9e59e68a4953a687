// End of message: inspect the collected message, carry out the decision through libmilter,
// and log one line. When Sluice itself fails, `failureStatus` applies the configured
// `on_error` action: the one place where internal failures become SMTP answers.

import CMilter
import CMilterShim
import Foundation
import SluicePolicy
import SluiceStore

enum MilterAction {
    static func finish(
        _ context: OpaquePointer?, session: MilterSession, runtime: MilterRuntime
    ) -> sfsistat {
        let started = ContinuousClock.now
        let state = runtime.current
        let queueID = session.envelope.queueID ?? "NOQUEUE"
        if let failure = session.failure {
            runtime.metrics.recordError(self.kind(of: failure))
            return self.failureStatus(
                context, failure, queueID: queueID, state: state,
                logger: runtime.logger)
        }

        let inspection: Inspection
        do {
            let spool = session.spool(
                memoryLimit: state.settings.memoryLimit,
                directory: state.settings.spoolDirectory)
            inspection = try spool.withBytes { bytes in
                let inspection = try state.inspector.inspect(bytes, envelope: session.envelope)
                // Held mail is stored (file and directory synced, record committed) before
                // Postfix is told to discard it; a failure here tempfails the message.
                if inspection.decision.action == .quarantine, let store = state.quarantine {
                    try store.hold(
                        id: inspection.decision.reference.description, message: bytes,
                        record: self.quarantineRecord(inspection, session: session, state: state))
                }
                return inspection
            }
        } catch {
            runtime.metrics.recordError(self.kind(of: error))
            return self.failureStatus(
                context, error, queueID: queueID, state: state,
                logger: runtime.logger)
        }

        let decision = inspection.decision
        let stored = decision.action == .quarantine && state.quarantine != nil
        do {
            try self.apply(decision, context, stored: stored)
        } catch {
            runtime.metrics.recordError(self.kind(of: error))
            return self.failureStatus(
                context, error, queueID: queueID, state: state,
                logger: runtime.logger)
        }
        let elapsed = ContinuousClock.now - started
        runtime.metrics.recordDecision(
            action: decision.action.rawValue, rules: decision.rules,
            detectors: inspection.report.findings.map(\.detector),
            bytes: inspection.report.messageSize, seconds: self.milliseconds(elapsed) / 1000)
        runtime.logger.info(
            self.logLine(
                queueID: queueID, decision: decision, session: session,
                size: inspection.report.messageSize, elapsed: elapsed))
        self.record(
            inspection, session: session, elapsed: elapsed, state: state, logger: runtime.logger)
        self.notify(inspection, session: session, state: state, alerts: runtime.alerts)
        return stored ? sfsistat(SMFIS_DISCARD) : self.status(for: decision.action)
    }

    /// What the quarantine store keeps about a held message.
    static func quarantineRecord(
        _ inspection: Inspection, session: MilterSession, state: MilterState
    ) -> QuarantineRecordInput {
        let summary = AuditSummary(inspection, session: session, state: state)
        return QuarantineRecordInput(
            queueID: session.envelope.queueID, messageID: summary.messageID,
            sender: session.envelope.sender, recipients: summary.recipients,
            subject: inspection.report.subject ?? "", size: inspection.report.messageSize,
            rules: inspection.decision.rules, findings: summary.findings,
            attachments: summary.attachments)
    }

    /// What the audit trail and the quarantine record both say about a message.
    struct AuditSummary {
        var messageID: String?
        var recipients: [AuditRecipient]
        var findings: [AuditFinding]
        var attachments: [AuditAttachment]

        init(_ inspection: Inspection, session: MilterSession, state: MilterState) {
            let report = inspection.report
            let scope = state.configuration.scope
            self.messageID = report.messageID ?? session.messageID
            self.recipients = session.envelope.recipients.map {
                AuditRecipient(address: $0, external: scope.isExternal($0))
            }
            self.findings = report.findings.map {
                AuditFinding(detector: $0.detector, count: $0.count, samples: $0.samples)
            }
            self.attachments = report.attachments.map {
                AuditAttachment(name: $0.path, type: $0.detectedType ?? "", size: $0.size)
            }
        }
    }

    /// A short name for the kind of an internal failure, for metrics.
    static func kind(of error: any Error) -> String {
        (error as? MilterError)?.subject ?? "internal"
    }

    static func status(for action: Action) -> sfsistat {
        switch action {
        case .accept, .monitor, .quarantine: return sfsistat(SMFIS_CONTINUE)
        case .discard: return sfsistat(SMFIS_DISCARD)
        case .tempfail: return sfsistat(SMFIS_TEMPFAIL)
        case .reject: return sfsistat(SMFIS_REJECT)
        }
    }

    /// Carries out the parts of a decision that need libmilter calls before the final status.
    static func apply(
        _ decision: Decision, _ context: OpaquePointer?, stored: Bool
    ) throws(MilterError) {
        for field in decision.addedHeaders {
            var name = Array(field.name.utf8CString)
            var value = Array(" \(field.value)".utf8CString)
            let status = name.withUnsafeMutableBufferPointer { name in
                value.withUnsafeMutableBufferPointer { value in
                    smfi_addheader(context, name.baseAddress, value.baseAddress)
                }
            }
            guard status == MI_SUCCESS else {
                throw MilterError("milter", "cannot add header \(field.name)")
            }
        }
        if let reply = decision.reply {
            try self.setReply(reply, context)
        }
        for address in decision.bcc {
            var bytes = Array("<\(address)>".utf8CString)
            guard
                bytes.withUnsafeMutableBufferPointer({ smfi_addrcpt(context, $0.baseAddress) })
                    == MI_SUCCESS
            else {
                throw MilterError("milter", "cannot add the compliance copy recipient")
            }
        }
        for address in decision.removedRecipients {
            var bytes = Array("<\(address)>".utf8CString)
            guard
                bytes.withUnsafeMutableBufferPointer({ smfi_delrcpt(context, $0.baseAddress) })
                    == MI_SUCCESS
            else {
                throw MilterError("milter", "cannot remove an external recipient")
            }
        }
        if decision.action == .quarantine && !stored {
            // Postfix's hold queue keeps the message until an administrator releases it.
            var reason = Array(
                "sluice \(decision.rules.joined(separator: ",")) ref=\(decision.reference)"
                    .utf8CString)
            let status = reason.withUnsafeMutableBufferPointer {
                smfi_quarantine(context, $0.baseAddress)
            }
            guard status == MI_SUCCESS else {
                throw MilterError("milter", "cannot put the message on hold")
            }
        }
    }

    /// Sets the SMTP reply for a reject or tempfail.
    static func setReply(_ reply: SMTPReply, _ context: OpaquePointer?) throws(MilterError) {
        // libmilter reads '%' as a format character: double it.
        let text = reply.text.replacingOccurrences(of: "%", with: "%%")
        var code = Array(String(reply.code).utf8CString)
        var enhanced = Array(reply.enhancedCode.utf8CString)
        var message = Array(text.utf8CString)
        let status = code.withUnsafeMutableBufferPointer { code in
            enhanced.withUnsafeMutableBufferPointer { enhanced in
                message.withUnsafeMutableBufferPointer { message in
                    smfi_setreply(
                        context, code.baseAddress, enhanced.baseAddress,
                        message.baseAddress)
                }
            }
        }
        guard status == MI_SUCCESS else {
            throw MilterError("milter", "libmilter refused reply '\(reply.code)'")
        }
    }

    /// Answers a message Sluice could not handle with the configured `on_error` action.
    static func failureStatus(
        _ context: OpaquePointer?, _ error: any Error, queueID: String, state: MilterState,
        logger: Logger
    ) -> sfsistat {
        let reference = ReferenceID.random()
        let action = state.settings.onError
        logger.error(
            "\(queueID): error=<\(error)> action=\(action.rawValue) on_error ref=\(reference)")
        switch action {
        case .accept:
            return sfsistat(SMFIS_CONTINUE)
        case .reject:
            try? self.setReply(state.policy.rejectReply.referencing(reference), context)
            return sfsistat(SMFIS_REJECT)
        case .tempfail:
            try? self.setReply(state.policy.tempfailReply.referencing(reference), context)
            return sfsistat(SMFIS_TEMPFAIL)
        }
    }

    /// Appends the decision to the audit log, if one is kept. A failing audit log is logged
    /// and does not hold up mail.
    static func record(
        _ inspection: Inspection, session: MilterSession, elapsed: Duration, state: MilterState,
        logger: Logger
    ) {
        guard let audit = state.audit else {
            return
        }
        let decision = inspection.decision
        let summary = AuditSummary(inspection, session: session, state: state)
        let entry = AuditEntry(
            reference: decision.reference.description, action: decision.action.rawValue,
            queueID: session.envelope.queueID, messageID: summary.messageID,
            sender: session.envelope.sender, recipients: summary.recipients,
            size: inspection.report.messageSize, attachments: summary.attachments,
            findings: summary.findings, rules: decision.rules,
            wouldHave: decision.intendedAction == decision.action
                ? nil : decision.intendedAction.rawValue,
            scanMilliseconds: self.milliseconds(elapsed))
        do {
            try audit.append(entry)
        } catch {
            logger.error("\(session.envelope.queueID ?? "NOQUEUE"): audit: \(error)")
        }
    }

    /// Queues the notifications the fired rules ask for; never waits for them.
    static func notify(
        _ inspection: Inspection, session: MilterSession, state: MilterState, alerts: AlertGate
    ) {
        let decision = inspection.decision
        guard let notifier = state.notifier, !decision.notify.isEmpty else {
            return
        }
        // Rules on sending volume alert once per sender and window; content rules always.
        if !decision.alertWindows.isEmpty && decision.alertWindows.count == decision.rules.count {
            let sender = SenderKey.normalize(
                authenticatedUser: session.envelope.authenticatedUser,
                sender: session.envelope.sender)
            guard alerts.allows(sender: sender, windows: decision.alertWindows) else {
                return
            }
        }
        let targets = NotificationRouting.targets(
            inspection.decision, envelope: session.envelope, configuration: state.configuration)
        if !targets.isEmpty {
            notifier.submit(
                NotificationRouting.event(inspection, envelope: session.envelope), to: targets)
        }
    }

    static func milliseconds(_ duration: Duration) -> Double {
        Double(duration.components.seconds) * 1000
            + Double(duration.components.attoseconds) / 1e15
    }

    static func logLine(
        queueID: String, decision: Decision, session: MilterSession, size: Int,
        elapsed: Duration
    ) -> String {
        let milliseconds =
            Double(elapsed.components.attoseconds) / 1e15
            + Double(elapsed.components.seconds) * 1000
        var line = "\(queueID): action=\(decision.action.rawValue)"
        if decision.intendedAction != decision.action {
            line += " would=\(decision.intendedAction.rawValue)"
        }
        if !decision.rules.isEmpty {
            line += " rules=" + decision.rules.joined(separator: ",")
        }
        if !decision.removedRecipients.isEmpty {
            line += " removed=\(decision.removedRecipients.count)"
        }
        if !decision.bcc.isEmpty {
            line += " bcc=\(decision.bcc.count)"
        }
        line += " ref=\(decision.reference) rcpts=\(session.envelope.recipients.count)"
        line += " size=\(size) ms=\(Int(milliseconds.rounded()))"
        return line
    }
}
