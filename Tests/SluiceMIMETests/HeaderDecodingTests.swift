// Header decoding: RFC 2047 encoded words, RFC 2231 parameter continuations with charsets, and
// the non-standard forms senders use for file names.

import Testing

@testable import SluiceMIME

struct HeaderCase: Sendable, CustomTestStringConvertible {
    var name: String
    var raw: [UInt8]
    var decoded: String
    var testDescription: String { self.name }

    init(_ name: String, _ raw: String, _ decoded: String) {
        self.init(name, Array(raw.utf8), decoded)
    }

    init(_ name: String, _ raw: [UInt8], _ decoded: String) {
        self.name = name
        self.raw = raw
        self.decoded = decoded
    }
}

@Suite struct HeaderDecodingTests {
    static let encodedWordCases: [HeaderCase] = [
        HeaderCase("B utf-8", "=?UTF-8?B?5py65a+G?=", "机密"),
        HeaderCase("Q utf-8", "=?utf-8?q?caf=C3=A9_au_lait?=", "café au lait"),
        HeaderCase("B gb2312", "=?gb2312?B?u/rD3A==?=", "机密"),
        HeaderCase("B gbk alias x-gbk", "=?x-gbk?B?u/rD3A==?=", "机密"),
        HeaderCase("adjacent words joined", "=?utf-8?q?a?= =?utf-8?q?b?=", "ab"),
        HeaderCase("adjacent across fold", "=?utf-8?q?a?=\r\n =?utf-8?q?b?=", "ab"),
        HeaderCase("character split across words", "=?gbk?B?u/o=?= =?gbk?B?w9w=?=", "机密"),
        HeaderCase("text around words", "Re: =?utf-8?B?5py65a+G?= report", "Re: 机密 report"),
        HeaderCase("word touching text", "x=?utf-8?q?y?=z", "xyz"),
        HeaderCase("malformed left alone", "=?utf-8?x?abc?=", "=?utf-8?x?abc?="),
        HeaderCase("unterminated left alone", "=?utf-8?q?abc", "=?utf-8?q?abc"),
        HeaderCase("language suffix", "=?utf-8*en?q?hi?=", "hi"),
        HeaderCase("unknown charset falls back", "=?x-unknown?B?5py65a+G?=", "机密"),
        HeaderCase("raw utf-8 header", "机密 plan", "机密 plan"),
        HeaderCase("raw gbk header", [0xBB, 0xFA, 0xC3, 0xDC], "机密"),
        HeaderCase("plain ascii", "Quarterly report", "Quarterly report"),
    ]

    @Test(arguments: encodedWordCases)
    func encodedWords(_ test: HeaderCase) {
        let got = EncodedWords.decode(test.raw).text
        #expect(
            got == test.decoded,
            "got \(got.debugDescription), want \(test.decoded.debugDescription)")
    }

    static let filenameCases: [HeaderCase] = [
        HeaderCase("plain", "attachment; filename=report.pdf", "report.pdf"),
        HeaderCase("quoted with semicolon", "attachment; filename=\"a;b.pdf\"", "a;b.pdf"),
        HeaderCase("quoted with escapes", "attachment; filename=\"a\\\"b.pdf\"", "a\"b.pdf"),
        HeaderCase(
            "rfc 2231 charset", "attachment; filename*=utf-8''%E6%9C%BA%E5%AF%86.doc", "机密.doc"),
        HeaderCase(
            "rfc 2231 continuations",
            "attachment; filename*0*=utf-8''%E6%9C%BA; filename*1*=%E5%AF%86; filename*2=.doc",
            "机密.doc"),
        HeaderCase(
            "rfc 2231 continuations out of order",
            "attachment; filename*1=b.txt; filename*0=a", "ab.txt"),
        HeaderCase("rfc 2231 gbk", "attachment; filename*=gbk'zh'%BB%FA%C3%DC.xls", "机密.xls"),
        HeaderCase(
            "rfc 2047 in quotes", "attachment; filename=\"=?GBK?B?u/rD3A==?=.doc\"", "机密.doc"),
        HeaderCase(
            "rfc 2047 whole", "attachment; filename=\"=?utf-8?B?5py65a+GLmRvYw==?=\"", "机密.doc"),
        HeaderCase("raw utf-8", "attachment; filename=\"机密.doc\"", "机密.doc"),
        HeaderCase(
            "raw gbk",
            Array("attachment; filename=\"".utf8) + [0xBB, 0xFA, 0xC3, 0xDC] + Array(".doc\"".utf8),
            "机密.doc"),
        HeaderCase("spaces around equals", "attachment; filename = \"a b.txt\"", "a b.txt"),
        HeaderCase("unterminated quote", "attachment; filename=\"broken.txt", "broken.txt"),
        HeaderCase(
            "2231 preferred over plain", "attachment; filename=old.txt; filename*=utf-8''new.txt",
            "new.txt"),
    ]

    @Test(arguments: filenameCases)
    func dispositionFilename(_ test: HeaderCase) {
        let got = HeaderParameters(parsing: test.raw).parameters["filename"]
        #expect(
            got == test.decoded,
            "got \(got.debugDescription), want \(test.decoded.debugDescription)")
    }

    @Test func contentTypeValueAndParameters() {
        let parsed = HeaderParameters(
            parsing: Array("Text/HTML ; Charset=\"GB2312\"; format=flowed".utf8))
        #expect(parsed.value == "text/html")
        #expect(parsed.parameters == ["charset": "GB2312", "format": "flowed"])
    }

    @Test func filenameFromTypeNameWhenNoDisposition() throws {
        let message = parse(
            """
            Content-Type: application/pdf; name="=?utf-8?B?5py65a+GLnBkZg==?="
            Content-Transfer-Encoding: base64

            JVBERg==
            """)
        let part = try #require(message.parts.first)
        #expect(part.filename == "机密.pdf")
        #expect(part.isAttachment)
        #expect(message.text(from: .filename(path: "1")) == "机密.pdf")
    }

    @Test func topLevelHeadersDecoded() {
        let message = parse(
            """
            From: =?gb2312?B?1cXI/Q==?= <zhang@example.cn>
            To: "Li" <li@example.com>, =?utf-8?q?Wang?= <wang@example.com>
            Cc: team@example.com
            Message-ID: <1@example.cn>
            Subject: =?gb2312?B?u/rD3A==?=
             =?gb2312?B?ssbO8dSksuI=?=

            body
            """)
        #expect(message.subject == "机密财务预测")
        #expect(message.from == "张三 <zhang@example.cn>")
        #expect(message.to == "\"Li\" <li@example.com>, Wang <wang@example.com>")
        #expect(message.cc == "team@example.com")
        #expect(message.messageID == "<1@example.cn>")
        #expect(message.text(from: .subject) == "机密财务预测")
        #expect(message.text(from: .header(name: "from", path: "1")) == "张三 <zhang@example.cn>")
    }
}
