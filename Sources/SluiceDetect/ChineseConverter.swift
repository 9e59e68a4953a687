// Traditional/Simplified conversion through OpenCC's C API. SluiceDetect uses it twice: to
// build the per-character fold table applied to content, and to give every dictionary term
// its regional phrase variants (机密/機密, 后台/後臺) before folding.

import COpenCC
import Foundation

/// One OpenCC configuration, opened for a batch of conversions and closed afterwards.
enum ChineseConverter {
    /// Converts each of `lines` with the OpenCC configuration `config` (e.g. `t2s.json`, looked
    /// up in OpenCC's data directory). Lines must not contain line breaks.
    static func convert(_ lines: [String], config: String) throws(DetectError) -> [String] {
        guard !lines.isEmpty else {
            return []
        }
        let handle = opencc_open(config)
        guard let handle, handle != UnsafeMutableRawPointer(bitPattern: -1) else {
            throw .converterUnavailable(config)
        }
        defer { opencc_close(handle) }

        let joined = lines.joined(separator: "\n")
        let converted = joined.withCString { input in
            opencc_convert_utf8(handle, input, strlen(input))
        }
        guard let converted else {
            throw .converterUnavailable(config)
        }
        defer { opencc_convert_utf8_free(converted) }

        let output = String(cString: converted).split(
            separator: "\n", omittingEmptySubsequences: false)
        guard output.count == lines.count else {
            // A conversion that changed the line structure is not trusted line by line.
            return lines
        }
        return output.map(String.init)
    }
}
