// The acceptance cases of the MIME work: a keyword hidden in each of the ways Chinese mail
// commonly carries it must come out as plain UTF-8 text, with its source.

import Foundation
import Testing

@testable import SluiceMIME

@Suite struct AcceptanceTests {
    static let keyword = "机密"

    @Test func keywordInGBKBase64Body() {
        let body = base64(encode("本文件为\(Self.keyword)资料，请勿外传", as: "GBK"))
        let message = parse(
            """
            Subject: report
            Content-Type: text/plain; charset="GBK"
            Content-Transfer-Encoding: base64

            \(body)
            """)
        #expect(message.text(from: .body(path: "1"))?.contains(Self.keyword) == true)
        #expect(message.parts.first?.textCharset == "gb18030")
    }

    @Test func keywordInGB2312QuotedPrintableHTMLWithNumericEntities() {
        // GB2312-encoded HTML, quoted-printable, with the keyword as numeric references and
        // a GBK-only character (镕) that proves the label is read as a superset.
        let html = "<html><body><p>&#26426;&#23494; 朱镕基</p></body></html>"
        let qp = encode(html, as: "GBK").map { byte in
            byte >= 0x80 || byte == 0x3D
                ? String(format: "=%02X", byte) : String(UnicodeScalar(byte))
        }.joined()
        let message = parse(
            """
            Content-Type: text/html; charset=gb2312
            Content-Transfer-Encoding: quoted-printable

            \(qp)
            """)
        #expect(message.text(from: .body(path: "1")) == "机密 朱镕基")
        #expect(message.parts.first?.flags.isEmpty == true)
    }

    @Test func keywordInRFC2047GB2312Subject() {
        let encoded = Data(encode("关于\(Self.keyword)项目", as: "GB2312")).base64EncodedString()
        let message = parse("Subject: =?GB2312?B?\(encoded)?=\n\nbody\n")
        #expect(message.text(from: .subject) == "关于机密项目")
    }

    @Test func keywordInUTF16TextAttachment() throws {
        let body = base64(encode("secret: \(Self.keyword)\n", as: "UTF-16"))
        let message = parse(
            """
            Content-Type: multipart/mixed; boundary=b

            --b

            see attachment
            --b
            Content-Type: text/plain; charset=utf-16; name=notes.txt
            Content-Disposition: attachment; filename=notes.txt
            Content-Transfer-Encoding: base64

            \(body)
            --b--
            """)
        let part = try #require(message.part(at: "1.2"))
        #expect(part.isAttachment)
        #expect(message.text(from: .body(path: "1.2")) == "secret: 机密\n")
    }

    @Test func keywordSplitByHTMLTags() {
        let message = parse(
            """
            Content-Type: text/html; charset=utf-8

            <div>这是<b>机</b><span style="color:red">密</span>文件</div>
            """)
        #expect(message.text(from: .body(path: "1")) == "这是机密文件")
    }

    @Test func keywordAfterThreeMegabyteLine() {
        let line = String(repeating: "A", count: 3 << 20)
        let message = parse(
            """
            Content-Type: multipart/mixed; boundary=b

            --b
            Content-Type: text/plain

            \(line) \(Self.keyword)
            --b--
            """)
        #expect(message.text(from: .body(path: "1.1"))?.hasSuffix(" 机密") == true)
    }
}
