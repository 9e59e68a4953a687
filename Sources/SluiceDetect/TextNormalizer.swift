// Normalisation applied alike to dictionary terms and to message text before matching: the
// per-character folds of `FoldTable`, runs of white space collapsed to one space, and the
// separators removed that sit between two CJK characters (`机 密`, `机-密`, a line break), so
// a term matches however it was spaced. Every output byte remembers where it came from.

/// Normalises text; cheap to copy and safe to use from any thread.
public struct TextNormalizer: Sendable {
    /// At most this many separators between two CJK characters are bridged.
    static let maximumGap = 8

    private let table: FoldTable

    /// Fails when OpenCC's t2s configuration cannot be opened.
    public init() throws(DetectError) {
        self.table = try FoldTable.shared.get()
    }

    /// Normalises `text`.
    public func normalize(_ text: String) -> NormalizedText {
        if let result = text.utf8.withContiguousStorageIfAvailable({ self.normalize(bytes: $0) }) {
            return result
        }
        return Array(text.utf8).withUnsafeBufferPointer { self.normalize(bytes: $0) }
    }

    /// Normalises UTF-8; invalid sequences become U+FFFD.
    public func normalize(bytes input: UnsafeBufferPointer<UInt8>) -> NormalizedText {
        // Output is almost never longer than input, so write straight into the result array
        // and only fall back to a growable buffer when a fold expands the text.
        let capacity = input.count + 64
        var overflowed = false
        var checkpoints: ([Int], [Int]) = ([], [])
        let bytes = [UInt8](unsafeUninitializedCapacity: capacity) { buffer, count in
            guard let output = buffer.baseAddress else {
                overflowed = true
                return
            }
            var writer = NormalizedWriter(bytes: output, capacity: capacity)
            defer { writer.deallocate() }
            self.run(input, &writer)
            overflowed = writer.overflowed
            count = overflowed ? 0 : writer.count
            checkpoints = (writer.checkpoints, writer.checkpointOrigins)
        }
        if !overflowed {
            return NormalizedText(
                bytes: bytes, checkpoints: checkpoints.0, checkpointOrigins: checkpoints.1)
        }
        var writer = NormalizedWriter(growableCapacity: capacity * 2)
        defer { writer.deallocate() }
        self.run(input, &writer)
        return writer.result()
    }

    private func run(_ input: UnsafeBufferPointer<UInt8>, _ writer: inout NormalizedWriter) {
        self.table.withLookup { lookup in
            var index = 0
            while index < input.count {
                let lead = input[index]
                if lead < 0x80 {
                    writer.ascii(lead, origin: index)
                    index += 1
                    continue
                }
                let (scalar, length) = UTF8Lead.decode(input, at: index)
                let origin = index
                if length == 1 {
                    writer.replacement(origin: origin)
                } else if scalar < 0x10000, let folded = lookup.folded(scalar) {
                    writer.folded(folded, origin: origin)
                } else if scalar >= 0x10000, let folded = FoldTable.foldSupplementary(scalar) {
                    folded.withUnsafeBufferPointer { writer.folded($0, origin: origin) }
                } else {
                    let bytes = UnsafeBufferPointer(rebasing: input[index..<index + length])
                    writer.scalar(scalar, bytes: bytes, origin: origin)
                }
                index += length
            }
        }
    }
}
