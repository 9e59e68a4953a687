// Undoing `format=flowed` (RFC 3676): lines ending in a space continue on the next line, so a
// word or a CJK phrase wrapped by the sender is joined again the way a mail client shows it.

enum FlowedText {
    /// `text` with soft line breaks removed; with `deleteSpace` (`delsp=yes`) the space that
    /// marked the break is removed too.
    static func unflow(_ text: String, deleteSpace: Bool) -> String {
        var output: [UInt8] = []
        output.reserveCapacity(text.utf8.count)
        var continuingDepth: Int?
        for rawLine in text.utf8.split(separator: ASCII.lf, omittingEmptySubsequences: false) {
            var line = rawLine[...]
            if line.last == ASCII.cr { line = line.dropLast() }
            let depth = line.prefix { $0 == 0x3E }.count
            var content = line.dropFirst(depth)
            if content.first == ASCII.space { content = content.dropFirst() }
            if continuingDepth != depth {
                if continuingDepth != nil { output.append(ASCII.lf) }
                output.append(contentsOf: line.prefix(depth))
                if depth > 0 { output.append(ASCII.space) }
            }
            let isSignature = content.elementsEqual("-- ".utf8)
            if content.last == ASCII.space, !isSignature {
                output.append(contentsOf: deleteSpace ? content.dropLast() : content)
                continuingDepth = depth
            } else {
                output.append(contentsOf: content)
                output.append(ASCII.lf)
                continuingDepth = nil
            }
        }
        if continuingDepth == nil, output.last == ASCII.lf { output.removeLast() }
        return String(decoding: output, as: UTF8.self)
    }
}
