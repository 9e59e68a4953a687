// One extraction call: the items found so far, the shared byte and time budget, and the walk from
// an item's true type to the reader that opens it (text, archive, Office package, PDF, RTF,
// legacy Office). Every item is recorded before its members, so the list reads top-down.

final class ExtractionRun {
    let limits: ExtractionLimits
    let tools: ExternalTools
    let deadline: ContinuousClock.Instant
    var items: [ExtractedItem] = []
    var limitHits: [ExtractionProblem] = []
    /// Expanded bytes taken from archives and packages so far.
    var expandedBytes = 0

    init(limits: ExtractionLimits, tools: ExternalTools) {
        self.limits = limits
        self.tools = tools
        self.deadline = ContinuousClock.now.advanced(by: limits.timeBudget)
    }

    var isOutOfTime: Bool {
        ContinuousClock.now >= self.deadline
    }

    /// Records the item for `bytes` and opens it; returns its index in `items`.
    @discardableResult
    func visit(
        _ bytes: [UInt8], name: String?, declaredType: String?, path: String, depth: Int
    )
        -> Int
    {
        let index = self.items.count
        self.items.append(self.identify(bytes, name: name, declared: declaredType, path: path))
        self.items[index].depth = depth
        self.open(index, bytes)
        self.finish(index)
        return index
    }

    /// Marks `index` not fully scanned because of `kind`, and records limits.
    func flag(_ index: Int, _ kind: ExtractionProblem.Kind, _ detail: String) {
        let problem = ExtractionProblem(kind: kind, path: self.items[index].path, detail: detail)
        self.items[index].scanned = false
        if self.items[index].problem == nil { self.items[index].problem = problem }
        if kind == .encrypted { self.items[index].encrypted = true }
        if problem.isLimit || kind == .overlappingEntries { self.limitHits.append(problem) }
    }

    /// Appends document text to an item, within the text limit.
    func appendText(_ index: Int, _ text: String) {
        guard !text.isEmpty else { return }
        let room = self.limits.maxTextBytes - self.items[index].text.utf8.count
        guard room > 0 else {
            self.flag(index, .textLimit, "text beyond \(self.limits.maxTextBytes) bytes dropped")
            return
        }
        if !self.items[index].text.isEmpty { self.items[index].text += "\n" }
        if text.utf8.count <= room {
            self.items[index].text += text
        } else {
            self.items[index].text += String(decoding: text.utf8.prefix(room), as: UTF8.self)
            self.flag(index, .textLimit, "text beyond \(self.limits.maxTextBytes) bytes dropped")
        }
    }

    private func identify(
        _ bytes: [UInt8], name: String?, declared: String?, path: String
    )
        -> ExtractedItem
    {
        let (mime, description) = bytes.withUnsafeBytes { raw -> (String, String) in
            if raw.isEmpty { return ("application/x-empty", "empty") }
            if let offset = TextSniffer.pdfHeaderOffset(raw), offset > 0 {
                return ("application/pdf", "PDF document after \(offset) leading bytes")
            }
            if let text = TextSniffer.plainTextType(raw) { return (text, "text") }
            let head = UnsafeRawBufferPointer(
                rebasing: raw[0..<min(raw.count, self.limits.magicBytes)])
            return MagicLibrary.identify(head) ?? ("application/octet-stream", "unknown")
        }
        let ext = name.flatMap(Self.fileExtension)
        var groups = TypeTable.groups(forMIME: mime)
        if let ext, let kind = TypeTable.kind(forExtension: ext) { groups.formUnion(kind.groups) }
        return ExtractedItem(
            path: path, name: name, depth: 0, size: bytes.count, declaredType: declared,
            detectedType: mime, typeDescription: description, fileExtension: ext, groups: groups,
            typeMismatch: false,
            nameTricks: name.map { FileNameTricks.analyse($0) } ?? [],
            encrypted: false, scanned: true, problem: nil, text: "")
    }

    /// The lowercased last extension of the name Windows would save.
    static func fileExtension(_ name: String) -> String? {
        let visible = FileNameTricks.visibleName(name)
        let last = visible.split(separator: "/").last.map(String.init) ?? visible
        guard let dot = last.lastIndex(of: "."), dot != last.startIndex else { return nil }
        let ext = last[last.index(after: dot)...].lowercased()
        return ext.isEmpty || ext.count > 16 ? nil : ext
    }

    private func finish(_ index: Int) {
        var item = self.items[index]
        let declared = item.declaredType.map(MagicLibrary.baseType)
        item.groups.formUnion(TypeTable.groups(forMIME: item.detectedType))
        if item.encrypted { item.groups.insert(.encrypted) }
        item.typeMismatch = TypeTable.isMismatch(
            detected: item.detectedType, fileExtension: item.fileExtension, declared: declared)
        self.items[index] = item
    }

    /// Reads the content of item `index` by its detected type.
    private func open(_ index: Int, _ bytes: [UInt8]) {
        let mime = self.items[index].detectedType
        let groups = TypeTable.groups(forMIME: mime)
        if mime == "text/rtf" || mime == "application/rtf" {
            self.openRTF(index, bytes)
        } else if groups.contains(.text) || mime == "image/svg+xml" {
            let charset = TextSniffer.charsetParameter(self.items[index].declaredType)
            self.appendText(index, TextSniffer.decode(bytes[...], declaredCharset: charset))
        } else if mime == "application/pdf" {
            self.openPDF(index, bytes)
        } else if OLEContainer.isOLE(bytes) || mime == "application/encrypted" {
            self.openOLE(index, bytes)
        } else if groups.contains(.archive) || groups.contains(.office) {
            self.openArchive(index, bytes)
            return
        }
        if Self.hasAppendedZip(bytes) {
            self.items[index].groups.insert(.archive)
            self.items[index].typeDescription += "; with a zip archive appended"
            self.openArchive(index, bytes)
        }
    }

    /// A zip central directory at the end of something else: a self-extracting executable, or an
    /// image or PDF with a zip glued on, which archivers open and mail filters often miss.
    private static func hasAppendedZip(_ bytes: [UInt8]) -> Bool {
        bytes.withUnsafeBytes { raw in ZipCentralDirectory(raw)?.entries.isEmpty == false }
    }
}
