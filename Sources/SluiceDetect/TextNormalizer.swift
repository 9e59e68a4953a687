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
        // Output is almost never longer than input: try with a little room to spare, and only
        // when folds expand the text further, again with more.
        var slack = 64
        while true {
            var map = OffsetMap()
            var fitted = true
            let capacity = input.count + slack + NormalizingPass.spare
            let bytes = [UInt8](unsafeUninitializedCapacity: capacity) {
                buffer, count in
                guard let output = buffer.baseAddress else {
                    return
                }
                let result = self.table.withLookup { lookup in
                    var pass = NormalizingPass(output: output, slack: slack)
                    return (pass.run(input, lookup), pass.count, pass.map)
                }
                fitted = result.0
                count = fitted ? result.1 : 0
                map = result.2
            }
            if fitted {
                return NormalizedText(
                    bytes: bytes, checkpoints: map.checkpoints, checkpointOrigins: map.origins)
            }
            slack = max(slack * 4, input.count * 2)
        }
    }
}
