// Rebuilds a header line from the name and value the MTA passes. With the leading-space
// protocol option the value keeps its original spacing after the colon; continuation lines
// arrive joined by bare LF and are written back with CRLF.

#if canImport(Glibc)
import Glibc
#endif

enum HeaderLine {
    /// `leadingSpace` tells whether `value` kept its original spacing; when it did not, one
    /// space is put after the colon.
    static func bytes(
        name: UnsafePointer<CChar>, value: UnsafePointer<CChar>, leadingSpace: Bool
    ) -> [UInt8] {
        let nameLength = strlen(name)
        let valueLength = strlen(value)
        var line: [UInt8] = []
        line.reserveCapacity(nameLength + valueLength + 4)
        name.withMemoryRebound(to: UInt8.self, capacity: nameLength) {
            line.append(contentsOf: UnsafeBufferPointer(start: $0, count: nameLength))
        }
        line.append(UInt8(ascii: ":"))
        if !leadingSpace {
            line.append(UInt8(ascii: " "))
        }
        value.withMemoryRebound(to: UInt8.self, capacity: valueLength) { pointer in
            var previous: UInt8 = 0
            for byte in UnsafeBufferPointer(start: pointer, count: valueLength) {
                if byte == 0x0A && previous != 0x0D {
                    line.append(0x0D)
                }
                line.append(byte)
                previous = byte
            }
        }
        line.append(contentsOf: [0x0D, 0x0A])
        return line
    }
}
