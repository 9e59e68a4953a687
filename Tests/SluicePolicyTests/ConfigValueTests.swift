// Value syntax shared by every key: sizes, durations, booleans, modes, lists and SMTP
// replies, with the forms administrators actually type.

import Testing

@testable import SluicePolicy

@Suite struct ConfigValueTests {
    @Test(arguments: [
        ("100", 100), ("25MB", 25 << 20), ("25mb", 25 << 20), ("512KB", 512 << 10),
        ("1GB", 1 << 30), ("2k", 2048), ("3MiB", 3 << 20), ("10 MB", 10 << 20),
    ])
    func sizes(text: String, bytes: Int) {
        #expect(ConfigValue.size(text) == bytes, "size(\(text))")
    }

    @Test(arguments: ["", "MB", "-1", "1TB", "ten", "1.5.5MB"])
    func badSizes(text: String) {
        #expect(ConfigValue.size(text) == nil, "size(\(text)) should fail")
    }

    @Test(arguments: [
        ("30", 30.0), ("30s", 30), ("5m", 300), ("2h", 7200), ("1d", 86_400), ("1w", 604_800),
        ("250ms", 0.25),
    ])
    func durations(text: String, seconds: Double) {
        #expect(ConfigValue.duration(text) == seconds, "duration(\(text))")
    }

    @Test func rendersRoundTrip() {
        #expect(ConfigValue.render(size: 25 << 20) == "25MB")
        #expect(ConfigValue.render(size: 1000) == "1000")
        #expect(ConfigValue.render(duration: 600) == "10m")
        #expect(ConfigValue.render(duration: 0.25) == "250ms")
        #expect(ConfigValue.render(duration: 90) == "90s")
    }

    @Test func lists() {
        #expect(ConfigValue.list("a, b ,c") == ["a", "b", "c"])
        #expect(ConfigValue.list("\"x, y\", z") == ["x, y", "z"])
        #expect(ConfigValue.list("") == [])
        #expect(ConfigValue.list("\"open") == nil)
    }

    @Test func booleansAndModes() {
        #expect(ConfigValue.bool("Yes") == true)
        #expect(ConfigValue.bool("off") == false)
        #expect(ConfigValue.bool("maybe") == nil)
        #expect(ConfigValue.mode("0660") == 0o660)
        #expect(ConfigValue.mode("999") == nil)
    }

    @Test func milterSockets() {
        #expect(MilterSocket("unix:/run/s.sock") == .unix(path: "/run/s.sock"))
        #expect(MilterSocket("local:/run/s.sock") == .unix(path: "/run/s.sock"))
        #expect(MilterSocket("inet:8891@localhost") == .inet(port: 8891, host: "localhost"))
        #expect(MilterSocket("inet:8891") == .inet(port: 8891, host: "127.0.0.1"))
        #expect(MilterSocket("inet6:8891@::1") == .inet6(port: 8891, host: "::1"))
        #expect(MilterSocket("unix:relative") == nil)
        #expect(MilterSocket("inet:99999@x") == nil)
        #expect(MilterSocket("/run/s.sock") == nil)
    }

    @Test func smtpReplies() {
        #expect(SMTPReply("550 5.7.1 Go away", permanent: true)?.text == "Go away")
        #expect(SMTPReply("550 5.7.1", permanent: true)?.text == "")
        #expect(SMTPReply("450 4.7.1 Later", permanent: true) == nil)
        #expect(SMTPReply("550 4.7.1 Mixed", permanent: true) == nil)
        #expect(SMTPReply("550 Go away", permanent: true) == nil)
        #expect(SMTPReply("451 4.7.1 Later", permanent: false)?.code == 451)
    }
}
