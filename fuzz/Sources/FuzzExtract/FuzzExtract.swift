// Fuzzes attachment extraction in process: the first byte picks a file name (docx, xlsx,
// odt, rtf, zip, tar.gz), the rest is the content. External extractors are not run.

import SluiceExtract

let names = ["a.docx", "a.xlsx", "a.pptx", "a.odt", "a.rtf", "a.zip", "a.tar.gz", "a.bin"]
let extractor: Extractor = {
    var tools = ExternalTools()
    tools.pdftotext = "/nonexistent"
    tools.pdfdetach = "/nonexistent"
    tools.catdoc = "/nonexistent"
    tools.xls2csv = "/nonexistent"
    tools.catppt = "/nonexistent"
    return Extractor(
        limits: ExtractionLimits(maxTotalBytes: 16 << 20, maxFileBytes: 4 << 20), tools: tools)
}()

@_cdecl("LLVMFuzzerTestOneInput")
public func fuzzExtract(_ data: UnsafePointer<UInt8>, _ size: Int) -> Int32 {
    guard size > 0 else {
        return 0
    }
    let name = names[Int(data[0]) % names.count]
    let bytes = Array(UnsafeBufferPointer(start: data + 1, count: size - 1))
    let result = extractor.extract(
        Attachment(name: name, declaredType: nil, path: "1.2", bytes: bytes))
    _ = result.items.count
    return 0
}
