// The binary state file of the volume counter: a header line, the sender count, then for
// each sender its key and its rings, all little-endian. Compact, because a busy relay has a
// hundred thousand senders.

import Foundation

enum VolumeStateFile {
    struct Damaged: Error, CustomStringConvertible {
        var description: String { "volume state file: damaged or from another version" }
    }

    static func append<T: FixedWidthInteger>(_ value: T, to data: inout Data) {
        withUnsafeBytes(of: value.littleEndian) { data.append(contentsOf: $0) }
    }

    static func write(sender: String, history: SenderHistory, to data: inout Data) {
        let key = Array(sender.utf8.prefix(65535))
        self.append(UInt16(key.count), to: &data)
        data.append(contentsOf: key)
        self.append(Int64(history.tenSlot), to: &data)
        self.append(Int64(history.minuteSlot), to: &data)
        self.append(Int64(history.hourSlot), to: &data)
        history.tens.forEach { self.append($0, to: &data) }
        for minute in history.minutes {
            self.append(minute.messages, to: &data)
            self.append(minute.recipients, to: &data)
            self.append(minute.external, to: &data)
        }
        history.hours.forEach { self.append($0, to: &data) }
        for hour in history.day {
            self.append(hour.external, to: &data)
            self.append(hour.kilobytes, to: &data)
            self.append(hour.attachmentKilobytes, to: &data)
            self.append(hour.blocked, to: &data)
        }
        let domains = history.domains.prefix(65535)
        self.append(UInt16(domains.count), to: &data)
        for (domain, slot) in domains {
            let bytes = Array(domain.utf8.prefix(255))
            self.append(UInt8(bytes.count), to: &data)
            data.append(contentsOf: bytes)
            self.append(Int64(slot), to: &data)
        }
    }

    static func read(_ data: Data) throws -> [String: SenderHistory] {
        var reader = Reader(bytes: [UInt8](data))
        guard reader.take(14) == Array("SLUICEVOLUME1\n".utf8) else {
            throw Damaged()
        }
        let count = Int(try reader.integer(UInt32.self))
        var histories: [String: SenderHistory] = [:]
        for _ in 0..<count {
            let keyLength = Int(try reader.integer(UInt16.self))
            guard let key = reader.take(keyLength) else {
                throw Damaged()
            }
            var history = SenderHistory(at: 0)
            history.tenSlot = Int(try reader.integer(Int64.self))
            history.minuteSlot = Int(try reader.integer(Int64.self))
            history.hourSlot = Int(try reader.integer(Int64.self))
            for index in 0..<6 {
                history.tens[index] = try reader.integer(UInt16.self)
            }
            for index in 0..<60 {
                history.minutes[index] = SenderHistory.MinuteBucket(
                    messages: try reader.integer(UInt16.self),
                    recipients: try reader.integer(UInt16.self),
                    external: try reader.integer(UInt16.self))
            }
            for index in 0..<168 {
                history.hours[index] = try reader.integer(UInt32.self)
            }
            for index in 0..<24 {
                history.day[index] = SenderHistory.HourBucket(
                    external: try reader.integer(UInt32.self),
                    kilobytes: try reader.integer(UInt32.self),
                    attachmentKilobytes: try reader.integer(UInt32.self),
                    blocked: try reader.integer(UInt32.self))
            }
            let domainCount = Int(try reader.integer(UInt16.self))
            for _ in 0..<domainCount {
                let length = Int(try reader.integer(UInt8.self))
                guard let domain = reader.take(length) else {
                    throw Damaged()
                }
                history.domains[String(decoding: domain, as: UTF8.self)] =
                    Int(try reader.integer(Int64.self))
            }
            histories[String(decoding: key, as: UTF8.self)] = history
        }
        return histories
    }

    struct Reader {
        let bytes: [UInt8]
        var offset = 0

        mutating func take(_ count: Int) -> [UInt8]? {
            guard count >= 0, self.offset + count <= self.bytes.count else {
                return nil
            }
            defer { self.offset += count }
            return Array(self.bytes[self.offset..<(self.offset + count)])
        }

        mutating func integer<T: FixedWidthInteger>(_ type: T.Type) throws -> T {
            guard let raw = self.take(MemoryLayout<T>.size) else {
                throw Damaged()
            }
            var value: T = 0
            for (index, byte) in raw.enumerated() {
                value |= T(byte) << (8 * index)
            }
            return value
        }
    }
}
