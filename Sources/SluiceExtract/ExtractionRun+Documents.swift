// Documents read by external programs or by their container: PDF text and attached files through
// the running sluice-pdf reader (pdftotext and pdfdetach when it is not installed), legacy Word,
// Excel and PowerPoint through catdoc, xls2csv and catppt, the OLE wrapper Office uses for
// password-protected OOXML (reported encrypted), and RTF with the objects embedded in it.

extension ExtractionRun {
    func openRTF(_ index: Int, _ bytes: [UInt8]) {
        let content = RTFText.extract(bytes)
        self.appendText(index, content.text)
        guard !content.objects.isEmpty else { return }
        guard self.items[index].depth < self.limits.maxDepth else {
            self.flag(index, .depthLimit, "embedded objects not opened: nesting too deep")
            return
        }
        for (number, raw) in content.objects.enumerated() {
            guard number < self.limits.maxMembersPerArchive else {
                self.flag(index, .memberLimit, "more than \(number) embedded objects")
                return
            }
            guard let object = OLE1Object(raw, codePage: content.codePage) else {
                self.flag(index, .damaged, "embedded object \(number + 1) is not OLE 1.0 data")
                continue
            }
            self.expandedBytes += object.data.count
            self.visit(
                object.data, name: object.fileName, declaredType: nil,
                path: self.items[index].path + "/" + object.fileName,
                depth: self.items[index].depth + 1)
        }
    }

    func openPDF(_ index: Int, _ bytes: [UInt8]) {
        if Self.contains(bytes, "/Encrypt") { self.items[index].encrypted = true }
        if let reader = self.tools.pdfReader {
            let setup = PDFReaderPool.Setup(
                executable: reader, prlimit: self.tools.prlimit,
                memoryBytes: self.limits.childMemoryBytes, cpuSeconds: self.limits.childCPUSeconds)
            let request = PDFRequest(
                maxTextBytes: self.limits.maxTextBytes, maxFileBytes: max(0, self.fileBudget),
                maxFiles: self.limits.maxMembersPerArchive, timeout: self.childTimeout)
            switch PDFReaderPool.shared.read(bytes, setup: setup, request: request) {
            case .answered(let reading):
                self.take(index, reading, request)
                return
            case .failed(let reason):
                self.flag(index, .extractorFailed, reason)
                return
            case .unavailable:
                break
            }
        }
        self.openPDFWithUtilities(index, bytes)
    }

    /// The reader's text and attached files, the files scanned as members.
    private func take(_ index: Int, _ reading: PDFReading, _ request: PDFRequest) {
        switch reading.status {
        case .read:
            break
        case .needsPassword:
            self.flag(index, .encrypted, "password-protected PDF")
            return
        case .unreadable(let reason):
            let kind: ExtractionProblem.Kind =
                self.items[index].encrypted ? .encrypted : .extractorFailed
            self.flag(index, kind, "PDF not readable: \(reason)")
            return
        }
        self.appendText(index, reading.text)
        if reading.textTruncated {
            self.flag(index, .textLimit, "PDF text beyond \(request.maxTextBytes) bytes")
        }
        guard !reading.files.isEmpty else { return }
        guard self.items[index].depth < self.limits.maxDepth else {
            self.flag(index, .depthLimit, "attached files not opened: nesting too deep")
            return
        }
        for (number, file) in reading.files.enumerated() {
            // The request capped each file; the total left shrinks with every one taken.
            let budget = self.fileBudget
            guard budget > 0, !self.isOutOfTime else {
                let kind: ExtractionProblem.Kind = budget > 0 ? .timeLimit : .totalBytesLimit
                self.flag(index, kind, "attached files after \(number) not read")
                return
            }
            let name = Self.attachmentName(file.name)
            let data = Array(file.data.prefix(budget))
            self.expandedBytes += data.count
            let child = self.visit(
                data, name: name, declaredType: nil,
                path: self.items[index].path + "/" + name, depth: self.items[index].depth + 1)
            if file.truncated || data.count < file.data.count {
                self.flag(child, .fileSizeLimit, "read only the first \(data.count) bytes")
            }
        }
        if reading.filesLeftOut > 0 {
            let limit = self.limits.maxMembersPerArchive
            self.flag(index, .memberLimit, "more than \(limit) attached files")
        }
    }

    /// PDF text through pdftotext and attached files through pdfdetach, one process per run.
    private func openPDFWithUtilities(_ index: Int, _ bytes: [UInt8]) {
        let command = self.command(self.tools.pdftotext, ["-q", "-enc", "UTF-8", "{}", "-"])
        self.runExtractor(index, command, bytes, encryptedHint: self.items[index].encrypted)
        // Attachments are listed under /EmbeddedFiles, which may sit in a compressed object stream.
        if Self.contains(bytes, "/EmbeddedFile") || Self.contains(bytes, "/ObjStm") {
            self.openPDFAttachments(index, bytes)
        }
    }

    /// Files attached to a PDF, each saved by pdfdetach to its stdout and scanned as a member.
    private func openPDFAttachments(_ index: Int, _ bytes: [UInt8]) {
        let list = self.command(self.tools.pdfdetach, ["-enc", "UTF-8", "-list", "{}"])
        guard case .exited(0, let output) = list.run(input: bytes) else {
            self.flag(index, .extractorFailed, "pdfdetach could not list the attached files")
            return
        }
        let names = Self.attachmentNames(String(decoding: output, as: UTF8.self))
        guard names.isEmpty || self.items[index].depth < self.limits.maxDepth else {
            self.flag(index, .depthLimit, "attached files not opened: nesting too deep")
            return
        }
        for (number, name) in names.enumerated() {
            if number >= self.limits.maxMembersPerArchive {
                let limit = self.limits.maxMembersPerArchive
                self.flag(index, .memberLimit, "more than \(limit) attached files")
                return
            }
            let budget = self.fileBudget
            guard budget > 0, !self.isOutOfTime else {
                let kind: ExtractionProblem.Kind = budget > 0 ? .timeLimit : .totalBytesLimit
                self.flag(index, kind, "attached files after \(number) not read")
                return
            }
            var save = self.command(
                self.tools.pdfdetach, ["-save", "\(number + 1)", "-o", "/dev/stdout", "{}"])
            save.maxOutputBytes = budget
            self.saveAttachment(index, save, bytes, name: name)
        }
    }

    private func saveAttachment(
        _ index: Int, _ command: SandboxedCommand, _ bytes: [UInt8], name: String
    ) {
        var problem: (ExtractionProblem.Kind, String)?
        let data: [UInt8]
        switch command.run(input: bytes) {
        case .exited(0, let output):
            data = output
        case .outputLimit(let output):
            data = Array(output.prefix(command.maxOutputBytes))
            problem = (.fileSizeLimit, "read only the first \(data.count) bytes")
        default:
            self.flag(index, .extractorFailed, "pdfdetach could not save \(name)")
            return
        }
        self.expandedBytes += data.count
        let child = self.visit(
            data, name: name, declaredType: nil, path: self.items[index].path + "/" + name,
            depth: self.items[index].depth + 1)
        if let problem { self.flag(child, problem.0, problem.1) }
    }

    /// `1: data.csv` lines of `pdfdetach -list` → names; path separators made harmless.
    static func attachmentNames(_ listing: String) -> [String] {
        listing.split(separator: "\n").dropFirst().compactMap { line in
            guard let colon = line.firstIndex(of: ":") else { return nil }
            return Self.attachmentName(line[line.index(after: colon)...].trimmingPrefix(" "))
        }
    }

    /// The last path component of a name a PDF gives an attached file, never empty.
    static func attachmentName(_ name: some StringProtocol) -> String {
        let leaf = String(name).split(separator: "/").last.map(String.init) ?? ""
        return leaf.isEmpty ? "attachment" : leaf
    }

    /// What one more member may expand to: the per-file limit within the total left.
    private var fileBudget: Int {
        min(self.limits.maxFileBytes, self.limits.maxTotalBytes - self.expandedBytes)
    }

    /// The child timeout, cut short by the run's own deadline.
    private var childTimeout: Duration {
        min(self.limits.childTimeout, ContinuousClock.now.duration(to: self.deadline))
    }

    func openOLE(_ index: Int, _ bytes: [UInt8]) {
        let names = OLEContainer.streamNames(bytes)
        if OLEContainer.isEncryptedPackage(names)
            || self.items[index].detectedType
                == "application/encrypted"
        {
            self.flag(index, .encrypted, "password-protected Office document")
            return
        }
        if OLEContainer.hasMacros(names) { self.items[index].groups.insert(.officeMacro) }
        let tools = self.tools
        switch OLEContainer.application(names) {
        case .word:
            self.runExtractor(
                index, self.command(tools.catdoc, ["-d", "utf-8", "-w", "{}"]), bytes)
        case .excel:
            self.runExtractor(index, self.command(tools.xls2csv, ["-d", "utf-8", "{}"]), bytes)
        case .powerpoint:
            self.runExtractor(index, self.command(tools.catppt, ["-d", "utf-8", "{}"]), bytes)
        case .other:
            break
        }
    }

    private func command(_ executable: String, _ arguments: [String]) -> SandboxedCommand {
        SandboxedCommand(
            prlimit: self.tools.prlimit, executable: executable, arguments: arguments,
            cpuSeconds: self.limits.childCPUSeconds, memoryBytes: self.limits.childMemoryBytes,
            timeout: self.childTimeout,
            maxOutputBytes: self.limits.maxTextBytes,
            temporaryDirectory: self.tools.temporaryDirectory)
    }

    private func runExtractor(
        _ index: Int, _ command: SandboxedCommand, _ bytes: [UInt8], encryptedHint: Bool = false
    ) {
        let name = command.executable.split(separator: "/").last.map(String.init) ?? "extractor"
        switch command.run(input: bytes) {
        case .exited(0, let output):
            self.appendText(index, String(decoding: output, as: UTF8.self))
        case .exited(let status, let output):
            self.appendText(index, String(decoding: output, as: UTF8.self))
            let kind: ExtractionProblem.Kind = encryptedHint ? .encrypted : .extractorFailed
            self.flag(index, kind, "\(name) exited with status \(status)")
        case .killed(let signal, let output):
            self.appendText(index, String(decoding: output, as: UTF8.self))
            self.flag(index, .extractorFailed, "\(name) killed by signal \(signal)")
        case .timedOut(let output):
            self.appendText(index, String(decoding: output, as: UTF8.self))
            self.flag(index, .extractorFailed, "\(name) killed after \(command.timeout)")
        case .outputLimit(let output):
            self.appendText(index, String(decoding: output, as: UTF8.self))
            self.flag(index, .textLimit, "\(name) output beyond \(command.maxOutputBytes) bytes")
        case .unavailable(let reason):
            self.flag(index, .extractorUnavailable, reason)
        }
    }

    /// Whether `needle` occurs in `bytes`.
    static func contains(_ bytes: [UInt8], _ needle: String) -> Bool {
        let pattern = Array(needle.utf8)
        guard let first = pattern.first, bytes.count >= pattern.count else { return false }
        return bytes.withUnsafeBufferPointer { buffer in
            var index = 0
            let last = buffer.count - pattern.count
            while index <= last {
                if buffer[index] == first,
                    buffer[index..<(index + pattern.count)].elementsEqual(pattern)
                {
                    return true
                }
                index += 1
            }
            return false
        }
    }
}
