// Fuzzes HTML-to-text: tags, entities, comments, script and style on arbitrary input.

import SluiceMIME

@_cdecl("LLVMFuzzerTestOneInput")
public func fuzzHTML(_ data: UnsafePointer<UInt8>, _ size: Int) -> Int32 {
    let text = String(decoding: UnsafeBufferPointer(start: data, count: size), as: UTF8.self)
    _ = HTMLText.text(fromHTML: text)
    return 0
}
