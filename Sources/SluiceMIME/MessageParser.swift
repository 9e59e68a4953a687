// The walk over a message's MIME tree. Each entity's header block is parsed, containers are
// split top-down (so an outer boundary always ends inner parts), leaves are transfer-decoded,
// and text is collected for scanning. Limits cut the walk short but never hide content.

struct MessageParser {
    let limits: MIMELimits
    /// The depth limit, capped because each level is one recursive call.
    let maxDepth: Int
    var parts: [MessagePart] = []
    var texts: [ScannableText] = []
    var problems: [MIMEProblem] = []
    var limitHits: [MIMELimitHit] = []
    var decodedBytes = 0

    /// Header fields whose text is scanned for an entity that is a message.
    static let scannedMessageHeaders: [String] = [
        "from", "to", "cc", "bcc", "reply-to", "sender", "comments", "keywords",
    ]
    /// Message types parsed as messages in their own right.
    static let messageTypes: Set<String> = [
        "message/rfc822", "message/global", "message/partial", "message/external-body",
        "message/news",
    ]
    /// Types read as text besides `text/*`.
    static let textTypes: Set<String> = [
        "message/delivery-status", "message/disposition-notification",
        "message/global-delivery-status", "message/global-disposition-notification",
        "message/global-headers", "application/json", "application/xml",
        "application/javascript", "application/x-javascript", "application/x-sh",
        "application/xhtml+xml",
    ]
    /// Types whose markup is removed like HTML before scanning.
    static let markupTypes: Set<String> = [
        "text/html", "application/xhtml+xml", "text/enriched", "text/richtext",
    ]

    init(limits: MIMELimits) {
        self.limits = limits
        self.maxDepth = min(max(1, limits.maxDepth), MIMELimits.depthCeiling)
    }

    mutating func parseMessage(_ input: Bytes) {
        self.parseEntity(
            input, 0..<input.count, path: "1", depth: 1, defaultType: "text/plain", isMessage: true)
    }

    /// Parses the entity in `range` and everything inside it.
    mutating func parseEntity(
        _ input: Bytes, _ range: Range<Int>, path: String, depth: Int, defaultType: String,
        isMessage: Bool
    ) {
        let block = HeaderBlock(parsing: input, range, maxBytes: self.limits.maxHeaderBytes)
        var part = self.describe(block, path: path, depth: depth, defaultType: defaultType)
        part.rawSize = range.upperBound - block.bodyStart
        if let overflow = block.overflow {
            self.hitLimit(
                .headerBytes, path, "header block over \(self.limits.maxHeaderBytes) bytes")
            self.addRawText(input, overflow, source: .unparsed(path: path))
            part.flags.insert(.malformedHeader)
        }
        if block.missingSeparator {
            self.problem(.missingHeaderSeparator, path, "body began without a blank line")
        }
        self.collectHeaderTexts(part, isMessage: isMessage)
        let body = block.bodyStart..<max(block.bodyStart, range.upperBound)
        let index = self.parts.count
        self.parts.append(part)
        if part.mediaType == "multipart" {
            self.parseMultipart(input, body, at: index)
            self.markEncryptedChildren(of: index)
        } else if MessageParser.messageTypes.contains(part.contentType) {
            self.parseEncapsulated(input, body, at: index)
        } else {
            self.decodeLeaf(input, body, at: index)
        }
    }

    /// Builds the part record from its header block.
    private mutating func describe(
        _ block: HeaderBlock, path: String, depth: Int, defaultType: String
    ) -> MessagePart {
        let headers = block.fields.map { field in
            HeaderField(name: field.name, value: EncodedWords.decode(field.value).text)
        }
        var flags: PartFlags = []
        var type = HeaderParameters(value: defaultType, parameters: [:], damaged: false)
        if let raw = block.first("content-type") {
            let parsed = HeaderParameters(parsing: raw)
            if let slash = parsed.value.utf8.firstIndex(of: 0x2F),
                slash != parsed.value.utf8.startIndex,
                parsed.value.utf8.index(after: slash) != parsed.value.utf8.endIndex
            {
                type = parsed
            } else {
                type.parameters = parsed.parameters
                flags.insert(.malformedHeader)
                self.problem(.malformedHeader, path, "content-type without a valid type")
            }
            if parsed.damaged { flags.insert(.malformedHeader) }
        }
        let disposition = block.first("content-disposition").map(HeaderParameters.init(parsing:))
        if disposition?.damaged == true { flags.insert(.malformedHeader) }
        let encoding = block.first("content-transfer-encoding").map {
            String(decoding: $0, as: UTF8.self).trimmingASCIIWhitespaceAndQuotes().lowercased()
        }
        let filename = disposition?.parameters["filename"] ?? type.parameters["name"]
        var part = MessagePart(
            path: path, depth: depth, headers: headers, contentType: type.value,
            parameters: type.parameters, disposition: disposition.map(\.value),
            dispositionParameters: disposition?.parameters ?? [:],
            filename: filename.flatMap { $0.isEmpty ? nil : $0 },
            declaredCharset: type.parameters["charset"].map {
                $0.trimmingASCIIWhitespaceAndQuotes().lowercased()
            },
            textCharset: nil,
            transferEncoding: (encoding?.isEmpty ?? true) ? "7bit" : encoding ?? "7bit",
            rawSize: 0, decodedSize: 0, flags: flags, role: .attachment, content: [])
        part.flags.formUnion(MessageParser.wrapperFlags(part))
        return part
    }

    /// Flags that follow from the type alone: fragments, references, encryption, signatures.
    static func wrapperFlags(_ part: MessagePart) -> PartFlags {
        let smimeType = part.parameters["smime-type"]?.lowercased()
        switch part.contentType {
        case "message/partial":
            return [.partial, .unscannable]
        case "message/external-body":
            return [.externalBody, .unscannable]
        case "multipart/encrypted", "application/pgp-encrypted":
            return [.encrypted, .unscannable]
        case "application/pkcs7-mime", "application/x-pkcs7-mime":
            if smimeType == "signed-data" || smimeType == "certs-only" {
                return [.signed, .unscannable]
            }
            return [.encrypted, .unscannable]
        case "multipart/signed", "application/pkcs7-signature", "application/x-pkcs7-signature",
            "application/pgp-signature":
            return [.signed]
        default:
            return []
        }
    }

    /// Splits a multipart body at its boundary and parses each child.
    private mutating func parseMultipart(_ input: Bytes, _ body: Range<Int>, at index: Int) {
        self.parts[index].role = .container
        let path = self.parts[index].path
        let depth = self.parts[index].depth
        guard let boundary = self.parts[index].parameters["boundary"], !boundary.isEmpty else {
            self.problem(
                .missingBoundaryParameter, path, "multipart without a boundary, read as text")
            self.parts[index].flags.insert(.missingBoundary)
            self.decodeLeaf(input, body, at: index, forceText: true)
            return
        }
        guard depth < self.maxDepth else {
            self.stopAtDepth(input, body, at: index)
            return
        }
        var splitter = BoundarySplitter(boundary: Array(boundary.utf8), input: input, body: body)
        guard let first = splitter.next() else {
            self.problem(.boundaryNotFound, path, "boundary never appears, body read as text")
            self.parts[index].flags.insert(.missingBoundary)
            self.decodeLeaf(input, body, at: index, forceText: true)
            return
        }
        self.addRawText(input, body.lowerBound..<first.contentEnd, source: .preamble(path: path))
        let childType =
            self.parts[index].contentType == "multipart/digest" ? "message/rfc822" : "text/plain"
        var previous = first
        var number = 0
        while !previous.isClosing {
            let next = splitter.next()
            let childRange = previous.next..<max(previous.next, next?.contentEnd ?? body.upperBound)
            if let next, next.lineStart == previous.next {
                // A delimiter right after another encloses nothing; like other mail readers,
                // do not count it as a part.
                previous = next
                continue
            }
            guard self.parts.count < self.limits.maxParts else {
                self.hitLimit(
                    .parts, path, "\(self.limits.maxParts) parts recorded, rest kept as raw text")
                self.parts[index].flags.insert(.unparsed)
                self.addRawText(
                    input, previous.next..<body.upperBound, source: .unparsed(path: path))
                return
            }
            number += 1
            self.parseEntity(
                input, childRange, path: "\(path).\(number)", depth: depth + 1,
                defaultType: childType,
                isMessage: false)
            guard let next else {
                self.problem(.closingBoundaryMissing, path, "last part ends at the end of the data")
                self.parts[index].flags.insert(.missingBoundary)
                return
            }
            previous = next
        }
        self.addRawText(input, previous.next..<body.upperBound, source: .epilogue(path: path))
    }

    /// Marks everything inside an encrypted container as encrypted too.
    private mutating func markEncryptedChildren(of index: Int) {
        guard self.parts[index].contentType == "multipart/encrypted" else { return }
        for child in (index + 1)..<self.parts.count {
            self.parts[child].flags.formUnion([.encrypted, .unscannable])
        }
    }

    /// Parses the body of a `message/*` part as a message of its own.
    private mutating func parseEncapsulated(_ input: Bytes, _ body: Range<Int>, at index: Int) {
        self.parts[index].role = .container
        let path = self.parts[index].path
        guard self.parts[index].depth < self.maxDepth else {
            self.stopAtDepth(input, body, at: index)
            return
        }
        guard self.parts.count < self.limits.maxParts else {
            self.hitLimit(
                .parts, path, "\(self.limits.maxParts) parts recorded, rest kept as raw text")
            self.parts[index].flags.insert(.unparsed)
            self.addRawText(input, body, source: .unparsed(path: path))
            return
        }
        let childPath = "\(path).1"
        let depth = self.parts[index].depth + 1
        let encoding = self.parts[index].transferEncoding
        guard encoding == "base64" || encoding == "quoted-printable" else {
            self.parseEntity(
                input, body, path: childPath, depth: depth, defaultType: "text/plain",
                isMessage: true)
            return
        }
        self.problem(
            .encodedTransferOnContainer, path, "\(encoding) on a message part, decoded first")
        let decoded = self.transferDecode(input, body, at: index)
        decoded.withUnsafeBufferPointer { inner in
            self.parseEntity(
                inner, 0..<inner.count, path: childPath, depth: depth, defaultType: "text/plain",
                isMessage: true)
        }
    }

    /// Records a depth-limit hit and keeps the container's body as raw text.
    private mutating func stopAtDepth(_ input: Bytes, _ body: Range<Int>, at index: Int) {
        let path = self.parts[index].path
        self.hitLimit(.depth, path, "nesting deeper than \(self.maxDepth), kept as raw text")
        self.parts[index].flags.insert(.unparsed)
        self.addRawText(input, body, source: .unparsed(path: path))
    }
}
