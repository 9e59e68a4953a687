// Archives and Office packages: members are streamed one at a time through libarchive and each
// becomes an item of its own (or, in an Office package, text of the package), while depth,
// member count, expanded bytes, expansion ratio and time are checked before and during reads.

extension ExtractionRun {
    /// Why reading members stopped early.
    private enum Stop {
        case limit(ExtractionProblem.Kind, String)
    }

    func openArchive(_ index: Int, _ bytes: [UInt8]) {
        let depth = self.items[index].depth
        guard depth < self.limits.maxDepth else {
            self.flag(index, .depthLimit, "not opened: nesting deeper than \(self.limits.maxDepth)")
            return
        }
        var flagged: Set<[UInt8]> = []
        var package: OfficePackage?
        let zipOK = bytes.withUnsafeBytes { raw -> Bool in
            guard let directory = ZipCentralDirectory(raw) else { return true }
            if directory.hasOverlappingEntries(raw) { return false }
            flagged = directory.utf8FlaggedNames
            if directory.entries.contains(where: \.encrypted) {
                self.flag(index, .encrypted, "password-protected zip members")
            }
            let names = directory.entries.map { String(decoding: $0.rawName, as: UTF8.self) }
            package = OfficePackage(
                memberNames: names, detectedType: self.items[index].detectedType)
            return true
        }
        guard zipOK else {
            self.flag(
                index, .overlappingEntries, "zip members share bytes (a zip bomb); not expanded")
            return
        }
        self.readMembers(index, bytes, flaggedZipNames: flagged, package: package)
    }

    /// One pass over the members of `bytes` read as `kind`; returns how it ended and how many
    /// entries libarchive produced.
    private func walk(
        _ index: Int, _ bytes: [UInt8], _ kind: ArchiveKind, _ flaggedZipNames: Set<[UInt8]>,
        _ package: OfficePackage?, _ hasMacros: inout Bool
    ) -> (outcome: Result<Stop?, ArchiveOpenError>, entries: Int) {
        let streamName = Self.decompressedName(self.items[index].name ?? "data")
        var entries = 0
        let outcome = ArchiveReader.withReader(
            bytes, kind: kind, flaggedZipNames: flaggedZipNames, rawStreamName: streamName
        ) { reader -> Stop? in
            var members = 0
            var archiveBytes = 0
            while true {
                if self.isOutOfTime { return .limit(.timeLimit, "time budget spent") }
                let entry: ArchiveEntry
                switch reader.next() {
                case .success(.none):
                    return nil
                case .success(.some(let next)):
                    entry = next
                case .failure(let error):
                    let kind: ExtractionProblem.Kind = error.encrypted ? .encrypted : .damaged
                    self.flag(index, kind, "libarchive: \(error.message)")
                    return nil
                }
                entries += 1
                guard entry.isRegularFile else { continue }
                members += 1
                if members > self.limits.maxMembersPerArchive {
                    return .limit(
                        .memberLimit, "more than \(self.limits.maxMembersPerArchive) members")
                }
                let name = MemberName.normalisedPath(entry.name)
                var action = PackagePart.item
                if let package {
                    action = package.part(name)
                    if case .macro = action { hasMacros = true }
                    if case .skip = action { continue }
                }
                if entry.encrypted {
                    self.recordEncryptedMember(index, name, inPackage: package != nil)
                    continue
                }
                if let stop = self.readMember(
                    index, reader, name: name, action: action, archiveSize: bytes.count,
                    archiveBytes: &archiveBytes)
                {
                    return stop
                }
            }
        }
        return (outcome, entries)
    }

    private func readMembers(
        _ index: Int, _ bytes: [UInt8], flaggedZipNames: Set<[UInt8]>, package: OfficePackage?
    ) {
        let groups = TypeTable.groups(forMIME: self.items[index].detectedType)
        let kind =
            groups.contains(.archive) || groups.contains(.office)
            ? ArchiveKind(mime: self.items[index].detectedType) : .zip
        var hasMacros = false
        var walk = self.walk(index, bytes, kind, flaggedZipNames, package, &hasMacros)
        // A compressed stream whose content starts with zero blocks reads as an empty tar.
        if kind == .compressed, walk.entries == 0, case .success(.none) = walk.outcome {
            walk = self.walk(index, bytes, .singleStream, flaggedZipNames, package, &hasMacros)
        }
        switch walk.outcome {
        case .failure(let error):
            self.flag(index, .damaged, "libarchive: \(error.message)")
        case .success(.some(.limit(let kind, let detail))):
            self.flag(index, kind, detail)
        case .success(.none):
            break
        }
        if let package {
            let detected = self.items[index].detectedType
            if !package.isOwnType(detected) || hasMacros && !detected.contains("macroenabled") {
                self.items[index].detectedType = package.mimeType(hasMacros: hasMacros)
            }
            if hasMacros { self.items[index].groups.insert(.officeMacro) }
        }
    }

    /// Reads one member and visits it; returns a stop when a limit ends the whole archive.
    private func readMember(
        _ index: Int, _ reader: ArchiveReader, name: String, action: PackagePart,
        archiveSize: Int, archiveBytes: inout Int
    ) -> Stop? {
        let budget = self.limits.maxTotalBytes - self.expandedBytes
        guard budget > 0 else {
            return .limit(.totalBytesLimit, "over \(self.limits.maxTotalBytes) expanded bytes")
        }
        let limit = min(self.limits.maxFileBytes, budget)
        let before = archiveBytes
        var ratioExceeded = false
        let data = reader.readData(limit: limit) { count in
            let total = before + count
            let allowed = self.limits.maxExpansionRatio.multipliedReportingOverflow(
                by: max(archiveSize, 1))
            if total > self.limits.ratioFloorBytes, !allowed.overflow, total > allowed.partialValue
            {
                ratioExceeded = true
                return false
            }
            return !self.isOutOfTime
        }
        let bytes: [UInt8]
        var memberProblem: (ExtractionProblem.Kind, String)?
        switch data {
        case .complete(let complete):
            bytes = complete
        case .stopped(let partial):
            bytes = partial
            var cause = ExtractionProblem.Kind.fileSizeLimit
            if ratioExceeded {
                cause = .ratioLimit
            } else if self.isOutOfTime {
                cause = .timeLimit
            } else if limit < self.limits.maxFileBytes {
                cause = .totalBytesLimit
            }
            memberProblem = (cause, "read only the first \(partial.count) bytes")
        case .failed(let message, let partial):
            bytes = partial
            memberProblem = (.damaged, "libarchive: \(message)")
        }
        let stop = memberProblem.flatMap { kind, _ in self.archiveStop(kind) }
        archiveBytes += bytes.count
        self.expandedBytes += bytes.count
        let path = self.items[index].path + "/" + name
        switch action {
        case .text(let extractor):
            var text: [UInt8] = []
            extractor.extract(bytes, into: &text)
            self.appendText(index, String(decoding: text, as: UTF8.self))
            if let memberProblem {
                self.flag(index, memberProblem.0, "\(name): \(memberProblem.1)")
            }
        case .item, .macro:
            let depth = self.items[index].depth + 1
            let leaf = name.split(separator: "/").last.map(String.init) ?? name
            let child = self.visit(bytes, name: leaf, declaredType: nil, path: path, depth: depth)
            if let memberProblem { self.flag(child, memberProblem.0, memberProblem.1) }
        case .skip:
            break
        }
        return stop
    }

    /// The stop for the whole archive when a member ran into a message-wide limit.
    private func archiveStop(_ kind: ExtractionProblem.Kind) -> Stop? {
        switch kind {
        case .ratioLimit:
            return .limit(kind, "expanded over \(self.limits.maxExpansionRatio)× its size")
        case .timeLimit:
            return .limit(kind, "time budget spent")
        case .totalBytesLimit:
            return .limit(kind, "over \(self.limits.maxTotalBytes) expanded bytes")
        default:
            return nil
        }
    }

    private func recordEncryptedMember(_ index: Int, _ name: String, inPackage: Bool) {
        self.flag(index, .encrypted, "password-protected members")
        guard !inPackage else { return }
        let leaf = name.split(separator: "/").last.map(String.init) ?? name
        let child = self.items.count
        self.items.append(
            ExtractedItem(
                path: self.items[index].path + "/" + name, name: leaf,
                depth: self.items[index].depth + 1, size: 0, declaredType: nil,
                detectedType: "application/octet-stream", typeDescription: "encrypted data",
                fileExtension: Self.fileExtension(leaf),
                groups: Self.fileExtension(leaf).flatMap(TypeTable.kind(forExtension:))?.groups
                    ?? [],
                typeMismatch: false,
                nameTricks: FileNameTricks.analyse(leaf),
                encrypted: true, scanned: false, problem: nil, text: ""))
        self.flag(child, .encrypted, "password-protected member")
        self.items[child].groups.insert(.encrypted)
    }

    /// `report.csv.gz` → `report.csv`: the name of a single compressed stream's content.
    static func decompressedName(_ name: String) -> String {
        let leaf = name.split(separator: "/").last.map(String.init) ?? name
        guard let dot = leaf.lastIndex(of: "."), dot != leaf.startIndex else {
            return leaf + ".out"
        }
        let ext = leaf[leaf.index(after: dot)...].lowercased()
        let base = String(leaf[..<dot])
        switch ext {
        case "tgz", "tbz2", "txz", "tzst": return base + ".tar"
        case "gz", "bz2", "xz", "zst", "lz4", "lzma", "z": return base
        default: return base + ".out"
        }
    }
}
