// Fragments, references and cryptographic wrappers: message/partial is unscannable,
// message/external-body is flagged, and S/MIME and PGP encryption and signatures are recognised.

import Testing

@testable import SluiceMIME

struct WrapperCase: Sendable, CustomTestStringConvertible {
    var name: String
    var contentType: String
    var body: String
    var flags: PartFlags
    var testDescription: String { self.name }
}

@Suite struct WrapperTests {
    static let cases: [WrapperCase] = [
        WrapperCase(
            name: "message/partial", contentType: "message/partial; id=\"abc\"; number=1; total=2",
            body: "Subject: part one\n\nfirst half", flags: [.partial, .unscannable]),
        WrapperCase(
            name: "message/external-body",
            contentType: "message/external-body; access-type=URL; URL=\"http://x.example/f\"",
            body: "Content-Type: application/pdf\n\n", flags: [.externalBody, .unscannable]),
        WrapperCase(
            name: "pgp multipart/encrypted",
            contentType: "multipart/encrypted; protocol=\"application/pgp-encrypted\"; boundary=e",
            body: "--e\nContent-Type: application/pgp-encrypted\n\nVersion: 1\n--e--",
            flags: [.encrypted, .unscannable]),
        WrapperCase(
            name: "s/mime enveloped",
            contentType: "application/pkcs7-mime; smime-type=enveloped-data",
            body: "MIAGCSqGSIb3", flags: [.encrypted, .unscannable]),
        WrapperCase(
            name: "s/mime without smime-type",
            contentType: "application/x-pkcs7-mime; name=smime.p7m",
            body: "MIAGCSqGSIb3", flags: [.encrypted, .unscannable]),
        WrapperCase(
            name: "s/mime opaque signed",
            contentType: "application/pkcs7-mime; smime-type=signed-data",
            body: "MIAGCSqGSIb3", flags: [.signed, .unscannable]),
        WrapperCase(
            name: "multipart/signed",
            contentType: "multipart/signed; protocol=\"application/pgp-signature\"; boundary=s",
            body: "--s\n\nreadable\n--s\nContent-Type: application/pgp-signature\n\nsig\n--s--",
            flags: [.signed]),
    ]

    @Test(arguments: cases)
    func flagsTopLevelWrapper(_ test: WrapperCase) throws {
        let message = parse("Content-Type: \(test.contentType)\n\n\(test.body)\n")
        let part = try #require(message.parts.first)
        #expect(part.flags == test.flags, "got \(part.flags.names), want \(test.flags.names)")
    }

    @Test func partsInsideEncryptedContainerAreEncrypted() {
        let message = parse(
            """
            Content-Type: multipart/encrypted; protocol="application/pgp-encrypted"; boundary=e

            --e
            Content-Type: application/pgp-encrypted

            Version: 1
            --e
            Content-Type: application/octet-stream

            -----BEGIN PGP MESSAGE-----
            hQEMA1234
            -----END PGP MESSAGE-----
            --e--
            """)
        for part in message.parts {
            #expect(part.flags.contains(.encrypted), "part \(part.path): \(part.flags.names)")
        }
    }

    @Test func partialFragmentIsStillReadAsFarAsPossible() {
        let message = parse("Content-Type: message/partial; number=1\n\nSubject: s\n\nfirst half\n")
        #expect(message.text(from: .body(path: "1.1")) == "first half\r\n")
    }

    @Test func inlinePGPMessageIsEncrypted() throws {
        let message = parse(
            """
            Content-Type: text/plain

            -----BEGIN PGP MESSAGE-----
            hQEMA1234
            -----END PGP MESSAGE-----
            """)
        #expect(try #require(message.parts.first).flags.contains(.encrypted))
    }
}
