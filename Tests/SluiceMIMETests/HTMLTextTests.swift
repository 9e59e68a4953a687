// HTML reduced to what a reader sees: text split by inline tags joins up, blocks break lines,
// entities decode, hidden content is dropped and attribute text that leaks data is kept.

import Foundation
import Testing

@testable import SluiceMIME

struct HTMLCase: Sendable, CustomTestStringConvertible {
    var name: String
    var html: String
    var text: String
    var testDescription: String { self.name }

    init(_ name: String, _ html: String, _ text: String) {
        self.name = name
        self.html = html
        self.text = text
    }
}

@Suite struct HTMLTextTests {
    static let cases: [HTMLCase] = [
        HTMLCase("split by inline tags", "机<b>密</b>", "机密"),
        HTMLCase("split by nested spans", "<p>机<span style='x'><i>密</i></span>文件</p>", "机密文件"),
        HTMLCase("block elements break lines", "<div>one</div><div>two</div>", "one\ntwo"),
        HTMLCase("br breaks lines", "a<br>b<BR/>c", "a\nb\nc"),
        HTMLCase("table cells separated", "<table><tr><td>a</td><td>b</td></tr></table>", "a b"),
        HTMLCase("whitespace collapsed", "a \n\t  b", "a b"),
        HTMLCase("source line break joins CJK", "机\n  密 文件", "机密 文件"),
        HTMLCase("source line break between words stays", "secret\nplan", "secret plan"),
        HTMLCase(
            "named entities", "&lt;tag&gt; &amp; &quot;q&quot; &copy;&nbsp;x", "<tag> & \"q\" © x"),
        HTMLCase("numeric entities", "&#26426;&#23494; &#x673A;&#X5BC6;", "机密 机密"),
        HTMLCase("entity without semicolon", "&amp x &#26426x", "& x 机x"),
        HTMLCase("windows-1252 references", "&#147;q&#148; &#128;", "“q” €"),
        HTMLCase("unknown entity kept", "&bogus; &", "&bogus; &"),
        HTMLCase("script dropped", "a<script>var s = '<b>secret</b>';</script>b", "ab"),
        HTMLCase("style dropped", "<style>p { color: red }</style>text", "text"),
        HTMLCase("comment dropped", "a<!-- hidden -- still -->b", "ab"),
        HTMLCase("unterminated comment", "a<!-- never closed", "a"),
        HTMLCase("doctype dropped", "<!DOCTYPE html><html><body>x</body></html>", "x"),
        HTMLCase("alt kept", "<img src=\"cid:1\" alt=\"机密图\">", "cid:1 机密图"),
        HTMLCase("title kept", "<abbr title='Project X'>PX</abbr>", "Project X PX"),
        HTMLCase(
            "href kept", "<a href=\"https://x.example/?q=secret&amp;k=1\">link</a>",
            "https://x.example/?q=secret&k=1 link"),
        HTMLCase("data uri dropped", "<img src=\"data:image/png;base64,AAAA\">x", "x"),
        HTMLCase("lone less-than kept", "1 < 2 and 3 <4", "1 < 2 and 3 <4"),
        HTMLCase("unquoted attribute", "<a href=http://a.example/x>y</a>", "http://a.example/x y"),
        HTMLCase("quoted angle in attribute", "<a title=\"a>b\">c</a>", "a>b c"),
    ]

    @Test(arguments: cases)
    func extractsText(_ test: HTMLCase) {
        let got = HTMLText.text(fromHTML: test.html).trimmingCharacters(in: .whitespacesAndNewlines)
        #expect(got == test.text, "got \(got.debugDescription), want \(test.text.debugDescription)")
    }

    @Test func enrichedTextIsReducedLikeHTML() {
        let message = parse("Content-Type: text/enriched\n\n机<bold>密</bold> plan\n")
        #expect(message.text(from: .body(path: "1")) == "机密 plan")
    }

    @Test func metaCharsetUsedWhenHeaderIsSilent() throws {
        var builder = MessageBuilder()
        builder.lines(["Content-Type: text/html", ""])
        builder.raw(Array("<html><head><meta charset=\"gbk\"></head><body>".utf8))
        builder.raw([0xBB, 0xFA, 0xC3, 0xDC])
        builder.raw(Array("</body></html>".utf8))
        let message = builder.parsed()
        #expect(message.text(from: .body(path: "1")) == "机密")
        #expect(message.parts.first?.textCharset == "gb18030")
    }
}
