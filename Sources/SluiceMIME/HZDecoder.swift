// HZ (RFC 1843), a 7-bit wrapping of GB2312 that glibc's iconv does not provide.
// `~{` switches to GB mode where byte pairs are GB2312 with the high bits cleared, `~}` switches
// back, `~~` is a tilde and `~` before a line break joins lines.

enum HZDecoder {
    /// The EUC-CN bytes equivalent to HZ `input`, ready for the GB18030 decoder.
    static func gb2312Bytes(_ input: Bytes) -> [UInt8] {
        var output: [UInt8] = []
        output.reserveCapacity(input.count)
        var inGB = false
        var index = 0
        while index < input.count {
            let byte = input[index]
            if byte == 0x7E, index + 1 < input.count {
                let next = input[index + 1]
                switch next {
                case 0x7B: inGB = true
                case 0x7D: inGB = false
                case 0x7E: output.append(0x7E)
                case ASCII.lf: break
                case ASCII.cr:
                    if index + 2 < input.count, input[index + 2] == ASCII.lf { index += 1 }
                default:
                    output.append(byte)
                    index += 1
                    continue
                }
                index += 2
                continue
            }
            if inGB, byte >= 0x21, byte <= 0x7E, index + 1 < input.count, input[index + 1] >= 0x21,
                input[index + 1] <= 0x7E
            {
                output.append(byte | 0x80)
                output.append(input[index + 1] | 0x80)
                index += 2
                continue
            }
            if byte == ASCII.lf || byte == ASCII.cr { inGB = false }
            output.append(byte)
            index += 1
        }
        return output
    }
}
