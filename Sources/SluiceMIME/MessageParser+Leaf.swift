// Leaf handling for the MIME walk: transfer decoding within the decoded-bytes budget, reading
// text parts into UTF-8 (HTML reduced to text), files uuencoded inside text, and the
// bookkeeping of texts, problems and limit hits.

extension MessageParser {
    /// Decodes a leaf part's content and collects its text.
    mutating func decodeLeaf(
        _ input: Bytes, _ body: Range<Int>, at index: Int, forceText: Bool = false
    ) {
        let content = self.transferDecode(input, body, at: index)
        let part = self.parts[index]
        let textual = forceText || MessageParser.isTextual(part)
        let named = part.filename != nil || part.disposition == "attachment"
        self.parts[index].role = textual && !named ? .inlineText : .attachment
        if textual, !part.flags.contains(.encrypted) {
            self.readText(content, at: index)
        }
        if textual, part.contentType == "text/plain" || forceText,
            !MessageParser.uuencodings.contains(part.transferEncoding)
        {
            content.withUnsafeBufferPointer { self.extractUUEncoded($0, at: index) }
        }
        self.parts[index].content = content
        self.parts[index].decodedSize = content.count
    }

    static let uuencodings: Set<String> = ["x-uuencode", "uuencode", "x-uue", "x-uuencoded"]

    static func isTextual(_ part: MessagePart) -> Bool {
        part.mediaType == "text" || textTypes.contains(part.contentType)
    }

    /// Undoes the part's transfer encoding, within what is left of the decoded-bytes budget.
    mutating func transferDecode(_ input: Bytes, _ body: Range<Int>, at index: Int) -> [UInt8] {
        let path = self.parts[index].path
        let encoding = self.parts[index].transferEncoding
        let budget = max(0, self.limits.maxDecodedBytes - self.decodedBytes)
        var result: TransferDecoding
        switch encoding {
        case "base64":
            result = Base64Decoder.decode(input, body, limit: budget)
            if let damage = result.damage {
                self.parts[index].flags.insert(.malformedBase64)
                self.problem(.malformedBase64, path, damage)
            }
        case "quoted-printable":
            result = QuotedPrintableDecoder.decode(input, body, limit: budget)
            if let damage = result.damage {
                self.parts[index].flags.insert(.malformedQuotedPrintable)
                self.problem(.malformedQuotedPrintable, path, damage)
            }
        case _ where MessageParser.uuencodings.contains(encoding):
            result = self.uudecodeBody(input, body, at: index, budget: budget)
        default:
            if !["7bit", "8bit", "binary"].contains(encoding) {
                self.problem(.unknownTransferEncoding, path, "'\(encoding)' read as 8bit")
            }
            let kept = body.lowerBound..<min(body.upperBound, body.lowerBound + budget)
            result = TransferDecoding(
                bytes: input.copyBytes(kept), truncated: kept.count < body.count)
        }
        if result.truncated {
            self.parts[index].flags.insert(.truncated)
            self.hitLimit(.decodedBytes, path, "over \(self.limits.maxDecodedBytes) decoded bytes")
        }
        self.decodedBytes += result.bytes.count
        return result.bytes
    }

    private mutating func uudecodeBody(
        _ input: Bytes, _ body: Range<Int>, at index: Int, budget: Int
    ) -> TransferDecoding {
        guard let file = UUDecoder.files(in: input, body, limit: budget).first else {
            self.parts[index].flags.insert(.malformedUUEncode)
            self.problem(.malformedUUEncode, self.parts[index].path, "no begin line, read as 8bit")
            let kept = body.lowerBound..<min(body.upperBound, body.lowerBound + budget)
            return TransferDecoding(
                bytes: input.copyBytes(kept), truncated: kept.count < body.count)
        }
        if file.damaged {
            self.parts[index].flags.insert(.malformedUUEncode)
            self.problem(
                .malformedUUEncode, self.parts[index].path, "damaged or unterminated block")
        }
        if self.parts[index].filename == nil {
            self.parts[index].filename = file.filename
            self.texts.append(
                ScannableText(source: .filename(path: self.parts[index].path), text: file.filename))
        }
        return TransferDecoding(
            bytes: file.bytes, truncated: file.bytes.count >= budget && budget < body.count)
    }

    /// Reads decoded content as text in its charset and records it for scanning.
    private mutating func readText(_ content: [UInt8], at index: Int) {
        let part = self.parts[index]
        let html = MessageParser.markupTypes.contains(part.contentType)
        let decoded = content.withUnsafeBufferPointer { bytes -> DecodedText in
            var declared = part.declaredCharset
            if html, declared == nil { declared = HTMLCharsetSniffer.charset(in: bytes) }
            return CharsetDecoder.decode(bytes, 0..<bytes.count, declared: declared)
        }
        self.parts[index].textCharset = decoded.charset
        if decoded.fellBack {
            self.parts[index].flags.insert(.charsetFallback)
            let declared = part.declaredCharset ?? "none"
            self.problem(
                .charsetFallback, part.path, "declared \(declared), read as \(decoded.charset)")
        }
        if decoded.undecodable > 0 {
            self.parts[index].flags.insert(.undecodableBytes)
            self.problem(.undecodableBytes, part.path, "\(decoded.undecodable) sequences replaced")
        }
        var text = html ? HTMLText.text(fromHTML: decoded.text) : decoded.text
        if part.contentType == "text/plain", part.parameters["format"]?.lowercased() == "flowed" {
            let deleteSpace = part.parameters["delsp"]?.lowercased() == "yes"
            text = FlowedText.unflow(text, deleteSpace: deleteSpace)
        }
        if content.withUnsafeBufferPointer({ MessageParser.hasInlinePGPMessage($0) }) {
            self.parts[index].flags.insert(.encrypted)
        }
        self.addText(text, source: .body(path: part.path))
    }

    static func hasInlinePGPMessage(_ bytes: Bytes) -> Bool {
        bytes.firstIndex(of: Array("-----BEGIN PGP MESSAGE-----".utf8), from: 0, to: bytes.count)
            != nil
    }

    /// Adds files uuencoded inside a text body as parts of their own, after the text part.
    private mutating func extractUUEncoded(_ content: Bytes, at index: Int) {
        guard UUDecoder.mayContainBlock(content, 0..<content.count) else { return }
        let parent = self.parts[index]
        let budget = max(0, self.limits.maxDecodedBytes - self.decodedBytes)
        for (number, file) in UUDecoder.files(in: content, 0..<content.count, limit: budget)
            .enumerated()
        {
            guard self.parts.count < self.limits.maxParts else {
                self.hitLimit(.parts, parent.path, "\(self.limits.maxParts) parts recorded")
                return
            }
            let path = "\(parent.path).\(number + 1)"
            var flags: PartFlags = [.uuencoded]
            if file.damaged { flags.insert(.malformedUUEncode) }
            self.decodedBytes += file.bytes.count
            self.parts.append(
                MessagePart(
                    path: path, depth: parent.depth + 1, headers: [],
                    contentType: "application/octet-stream",
                    parameters: [:], disposition: "attachment", dispositionParameters: [:],
                    filename: file.filename, declaredCharset: nil, textCharset: nil,
                    transferEncoding: "x-uuencode", rawSize: 0, decodedSize: file.bytes.count,
                    flags: flags, role: .attachment, content: file.bytes))
            self.addText(file.filename, source: .filename(path: path))
        }
    }

    /// Records the texts of a part's headers: message headers for messages, and always the
    /// description and file name.
    mutating func collectHeaderTexts(_ part: MessagePart, isMessage: Bool) {
        for field in part.headers {
            if isMessage, field.name == "subject" {
                let source: TextSource =
                    part.path == "1" ? .subject : .header(name: "subject", path: part.path)
                self.addText(field.value, source: source)
            } else if isMessage, MessageParser.scannedMessageHeaders.contains(field.name) {
                self.addText(field.value, source: .header(name: field.name, path: part.path))
            } else if field.name == "content-description" {
                self.addText(field.value, source: .header(name: field.name, path: part.path))
            }
        }
        if let filename = part.filename {
            self.addText(filename, source: .filename(path: part.path))
        }
    }

    mutating func addText(_ text: String, source: TextSource) {
        guard text.utf8.contains(where: { !ASCII.isWhitespace($0) }) else { return }
        self.texts.append(ScannableText(source: source, text: text))
    }

    /// Adds raw bytes (preamble, epilogue, unparsed content) as text, within the budget.
    mutating func addRawText(_ input: Bytes, _ range: Range<Int>, source: TextSource) {
        guard !range.isEmpty else { return }
        let budget = max(0, self.limits.maxDecodedBytes - self.decodedBytes)
        let kept = range.lowerBound..<min(range.upperBound, range.lowerBound + budget)
        if kept.count < range.count {
            self.hitLimit(
                .decodedBytes, source.path ?? "1",
                "over \(self.limits.maxDecodedBytes) decoded bytes")
        }
        guard !kept.isEmpty else { return }
        self.decodedBytes += kept.count
        let decoded = CharsetDecoder.decode(input, kept, declared: nil)
        self.addText(decoded.text, source: source)
    }

    /// Records a limit hit; only the first hit of each kind is kept.
    mutating func hitLimit(_ kind: MIMELimits.Kind, _ path: String, _ detail: String) {
        guard !self.limitHits.contains(where: { $0.limit == kind }) else { return }
        self.limitHits.append(MIMELimitHit(limit: kind, path: path, detail: detail))
    }

    /// Records a problem; at most `maxProblems` are kept so damage cannot exhaust memory.
    mutating func problem(_ kind: MIMEProblem.Kind, _ path: String, _ detail: String) {
        guard self.problems.count < MessageParser.maxProblems else { return }
        self.problems.append(MIMEProblem(kind: kind, path: path, detail: detail))
    }

    static let maxProblems = 1000
}
