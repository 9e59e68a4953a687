// One sender's counts in rings of time buckets: ten-second buckets for the last minute,
// minute buckets for the last hour, hour buckets for the last day and week. Buckets older
// than their ring are zeroed as time moves on, so the windows slide without keeping every
// message.

struct SenderHistory {
    struct MinuteBucket {
        var messages: UInt16 = 0
        var recipients: UInt16 = 0
        var external: UInt16 = 0
    }

    struct HourBucket {
        var external: UInt32 = 0
        var kilobytes: UInt32 = 0
        var attachmentKilobytes: UInt32 = 0
        var blocked: UInt32 = 0
    }

    var tens = [UInt16](repeating: 0, count: 6)
    var tenSlot = 0
    var minutes = [MinuteBucket](repeating: MinuteBucket(), count: 60)
    var minuteSlot = 0
    /// Messages per hour for the last week.
    var hours = [UInt32](repeating: 0, count: 168)
    var day = [HourBucket](repeating: HourBucket(), count: 24)
    var hourSlot = 0
    /// External domains with the hour they were last seen.
    var domains: [String: Int] = [:]

    init(at seconds: Int) {
        self.tenSlot = seconds / 10
        self.minuteSlot = seconds / 60
        self.hourSlot = seconds / 3600
    }

    /// Zeroes the buckets between the last update and `seconds`.
    mutating func advance(to seconds: Int) {
        Self.advance(&self.tens, from: &self.tenSlot, to: seconds / 10, empty: 0)
        Self.advance(&self.minutes, from: &self.minuteSlot, to: seconds / 60, empty: MinuteBucket())
        let hour = seconds / 3600
        var daySlot = self.hourSlot
        Self.advance(&self.day, from: &daySlot, to: hour, empty: HourBucket())
        Self.advance(&self.hours, from: &self.hourSlot, to: hour, empty: 0)
        self.domains = self.domains.filter { hour - $0.value < 24 }
    }

    private static func advance<T>(_ ring: inout [T], from last: inout Int, to now: Int, empty: T) {
        guard now > last else {
            return
        }
        if now - last >= ring.count {
            for index in ring.indices {
                ring[index] = empty
            }
        } else {
            for slot in (last + 1)...now {
                ring[slot % ring.count] = empty
            }
        }
        last = now
    }

    mutating func add(_ observation: VolumeObservation) {
        self.tens[self.tenSlot % 6] &+= 1
        var minute = self.minutes[self.minuteSlot % 60]
        minute.messages = Self.saturating(minute.messages, 1)
        minute.recipients = Self.saturating(minute.recipients, observation.recipients)
        minute.external = Self.saturating(minute.external, observation.externalRecipients)
        self.minutes[self.minuteSlot % 60] = minute
        self.hours[self.hourSlot % 168] &+= 1
        var hour = self.day[self.hourSlot % 24]
        hour.external &+= UInt32(clamping: observation.externalRecipients)
        hour.kilobytes &+= UInt32(clamping: (observation.bytes + 1023) / 1024)
        hour.attachmentKilobytes &+= UInt32(clamping: (observation.attachmentBytes + 1023) / 1024)
        self.day[self.hourSlot % 24] = hour
        for domain in observation.externalDomains {
            self.domains[domain] = self.hourSlot
        }
    }

    mutating func addBlocked() {
        self.day[self.hourSlot % 24].blocked &+= 1
    }

    private static func saturating(_ value: UInt16, _ addition: Int) -> UInt16 {
        UInt16(clamping: Int(value) + addition)
    }

    /// The counters over the windows, for an anomaly `factor` and `floor`.
    func facts(anomalyFactor: Double, anomalyFloor: Int) -> VolumeFacts {
        var facts = VolumeFacts()
        facts.messagesLastMinute = self.tens.reduce(0) { $0 + Int($1) }
        facts.messagesLastHour = self.minutes.reduce(0) { $0 + Int($1.messages) }
        facts.recipientsLastHour = self.minutes.reduce(0) { $0 + Int($1.recipients) }
        facts.externalRecipientsLastHour = self.minutes.reduce(0) { $0 + Int($1.external) }
        let lastDay = (0..<24).map { Int(self.hours[(self.hourSlot - $0 + 168) % 168]) }
        facts.messagesLastDay = lastDay.reduce(0, +)
        facts.externalRecipientsLastDay = self.day.reduce(0) { $0 + Int($1.external) }
        facts.bytesLastDay = self.day.reduce(0) { $0 + Int($1.kilobytes) } * 1024
        facts.attachmentBytesLastDay =
            self.day.reduce(0) { $0 + Int($1.attachmentKilobytes) } * 1024
        facts.blockedLastDay = self.day.reduce(0) { $0 + Int($1.blocked) }
        facts.externalDomainsLastDay = self.domains.count

        let past = (1..<168).map { Int(self.hours[(self.hourSlot - $0 + 168) % 168]) }
            .filter { $0 > 0 }.sorted()
        if !past.isEmpty {
            let middle = past.count / 2
            facts.usualHourly =
                past.count % 2 == 1
                ? Double(past[middle]) : Double(past[middle - 1] + past[middle]) / 2
        }
        facts.rateAnomaly =
            facts.messagesLastHour > anomalyFloor
            && Double(facts.messagesLastHour) > anomalyFactor * facts.usualHourly
        return facts
    }
}
