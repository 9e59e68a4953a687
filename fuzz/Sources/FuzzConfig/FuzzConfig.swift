// Fuzzes the configuration reader and the rule-expression compiler: any text must give a
// configuration or an error naming file and line, never a crash.

import SluicePolicy

@_cdecl("LLVMFuzzerTestOneInput")
public func fuzzConfig(_ data: UnsafePointer<UInt8>, _ size: Int) -> Int32 {
    let text = String(decoding: UnsafeBufferPointer(start: data, count: size), as: UTF8.self)
    guard let configuration = try? Configuration.parse(text, path: "fuzz.conf") else {
        return 0
    }
    let catalog = FactCatalog(
        detectors: ["keyword:config", "keyword:confidential", "cn-resident-id", "bank-card"],
        extra: VolumeFacts.kinds)
    _ = try? Policy(configuration: configuration, catalog: catalog)
    return 0
}
