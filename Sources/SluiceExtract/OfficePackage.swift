// Office Open XML (docx, xlsx, pptx, macro variants) and OpenDocument files are zips of XML parts.
// This says which family a zip is, which parts hold the text a reader sees (body, shared strings,
// sheet names, comments, headers, footers, notes, SmartArt, charts, properties), which are VBA
// projects, and which are structure to pass over. Everything else (embedded files, media, and
// anything hidden in the package) is scanned as an item of its own.

/// What to do with one member of an Office package.
enum PackagePart {
    case text(XMLTextExtractor)
    /// Scanned as an item of its own.
    case item
    case macro
    /// Package structure with no text a reader sees.
    case skip
}

/// The family of an Office package.
enum OfficePackage: Hashable {
    case word
    case excel
    case powerpoint
    case openDocument

    /// The family of a zip with these member names, or nil when it is a plain archive.
    init?(memberNames: [String], detectedType: String) {
        let names = Set(memberNames)
        if detectedType.hasPrefix("application/vnd.oasis.opendocument.")
            || names.contains("content.xml") && names.contains("META-INF/manifest.xml")
        {
            self = .openDocument
            return
        }
        guard names.contains("[Content_Types].xml") else { return nil }
        if memberNames.contains(where: { $0.hasPrefix("word/") }) {
            self = .word
        } else if memberNames.contains(where: { $0.hasPrefix("xl/") }) {
            self = .excel
        } else if memberNames.contains(where: { $0.hasPrefix("ppt/") }) {
            self = .powerpoint
        } else {
            return nil
        }
    }

    /// The MIME type of a package of this family, macro-enabled when it carries a VBA project.
    func mimeType(hasMacros: Bool) -> String {
        let base = "application/vnd.openxmlformats-officedocument."
        switch (self, hasMacros) {
        case (.word, false): return base + "wordprocessingml.document"
        case (.word, true): return "application/vnd.ms-word.document.macroenabled.12"
        case (.excel, false): return base + "spreadsheetml.sheet"
        case (.excel, true): return "application/vnd.ms-excel.sheet.macroenabled.12"
        case (.powerpoint, false): return base + "presentationml.presentation"
        case (.powerpoint, true):
            return "application/vnd.ms-powerpoint.presentation.macroenabled.12"
        case (.openDocument, _): return "application/vnd.oasis.opendocument.text"
        }
    }

    /// Whether `mime` is a type libmagic gives packages of this family.
    func isOwnType(_ mime: String) -> Bool {
        switch self {
        case .word, .excel, .powerpoint:
            return mime.hasPrefix("application/vnd.openxmlformats-officedocument.")
                || mime.hasPrefix("application/vnd.ms-")
        case .openDocument:
            return mime.hasPrefix("application/vnd.oasis.opendocument.")
        }
    }

    /// What to do with the member at `name`.
    func part(_ name: String) -> PackagePart {
        let lower = name.lowercased()
        if lower.hasSuffix("vbaproject.bin") { return .macro }
        if lower == "docprops/core.xml" || lower == "meta.xml" {
            return .text(Self.propertiesText)
        }
        if self != .openDocument, lower.hasSuffix(".xml"),
            lower.contains("/diagrams/data") || lower.contains("/charts/chart")
        {
            return .text(Self.drawingText)
        }
        let text: PackagePart
        switch self {
        case .word: text = Self.wordPart(lower)
        case .excel: text = Self.excelPart(lower)
        case .powerpoint: text = Self.powerpointPart(lower)
        case .openDocument: text = Self.openDocumentPart(lower)
        }
        if case .text = text { return text }
        return self.isStructure(lower) ? .skip : .item
    }

    /// SmartArt text and chart titles, labels and cached values.
    private static let drawingText = XMLTextExtractor(
        textElements: ["t", "v"], paragraphElements: ["p", "pt", "ser"], cellElements: ["v"])

    /// Title, subject, keywords and description from the document properties.
    private static let propertiesText = XMLTextExtractor(
        textElements: ["title", "subject", "keywords", "description", "category"],
        paragraphElements: ["title", "subject", "keywords", "description", "category"])

    private static let structureFolders: [OfficePackage: [String]] = [
        .word: ["word/", "_rels/", "docprops/", "customxml/"],
        .excel: ["xl/", "_rels/", "docprops/", "customxml/"],
        .powerpoint: ["ppt/", "_rels/", "docprops/", "customxml/"],
        .openDocument: ["meta-inf/", "configurations2/", "thumbnails/"],
    ]

    private static let structureFiles: Set<String> = [
        "[content_types].xml", "mimetype", "settings.xml", "manifest.rdf",
        "layout-cache", "thumbnails/thumbnail.png",
    ]

    /// XML and relationship parts in the package's own folders, and its fixed files.
    private func isStructure(_ name: String) -> Bool {
        if Self.structureFiles.contains(name) { return true }
        let isMarkup = [".xml", ".rels", ".vml"].contains { name.hasSuffix($0) }
        let inFolder = Self.structureFolders[self, default: []].contains { name.hasPrefix($0) }
        return isMarkup && (inFolder || self == .openDocument && !name.contains("/"))
            || inFolder && (name.contains("/printersettings/") || name.contains("/fonts/"))
    }

    private static let wordParts = [
        "word/document", "word/header", "word/footer", "word/footnotes", "word/endnotes",
        "word/comments",
    ]

    private static func wordPart(_ name: String) -> PackagePart {
        guard Self.wordParts.contains(where: { name.hasPrefix($0) }) else { return .skip }
        return .text(
            XMLTextExtractor(
                textElements: ["t", "delText"], paragraphElements: ["p"], cellElements: ["tc"],
                tabElements: ["tab"], breakElements: ["br", "cr"]))
    }

    private static func excelPart(_ name: String) -> PackagePart {
        if name == "xl/workbook.xml" {
            return .text(XMLTextExtractor(textElements: [], attributeText: ["sheet": "name"]))
        }
        if name == "xl/sharedstrings.xml" {
            return .text(XMLTextExtractor(textElements: ["t"], paragraphElements: ["si"]))
        }
        if name.hasPrefix("xl/worksheets/") {
            return .text(
                XMLTextExtractor(
                    textElements: ["t", "v"], paragraphElements: ["row"], cellElements: ["c"],
                    hiddenWhen: ("c", "t", "s")))
        }
        if name.hasPrefix("xl/comments") || name.hasPrefix("xl/threadedcomments/") {
            return .text(
                XMLTextExtractor(textElements: ["t", "text"], paragraphElements: ["comment"]))
        }
        return .skip
    }

    private static func powerpointPart(_ name: String) -> PackagePart {
        let parts = ["ppt/slides/slide", "ppt/notesslides/", "ppt/comments/", "ppt/commentauthors"]
        guard parts.contains(where: { name.hasPrefix($0) }) else { return .skip }
        return .text(
            XMLTextExtractor(
                textElements: ["t", "text"], paragraphElements: ["p", "cm"], cellElements: ["tc"],
                breakElements: ["br"]))
    }

    private static func openDocumentPart(_ name: String) -> PackagePart {
        guard name.hasSuffix("content.xml") || name.hasSuffix("styles.xml") else { return .skip }
        return .text(
            XMLTextExtractor(
                textElements: ["p", "h", "span", "a", "note-body", "annotation"],
                paragraphElements: ["p", "h"], cellElements: ["table-cell"],
                tabElements: ["tab"], breakElements: ["line-break"], spaceElements: ["s"]))
    }
}
