// Python snippets that write Office Open XML, OpenDocument and PDF files the way the real
// applications lay them out, small enough to read: the XML parts are spelled out in the tests.

enum OfficeFixtures {
    /// A Python expression building a zip at `out` from a dict of member names to text.
    static func zipScript(_ members: [(String, String)], stored: [String] = []) -> String {
        let entries = members.map { name, text in
            "(\(self.pythonString(name)), \(self.pythonString(text)))"
        }
        return """
            import zipfile
            z = zipfile.ZipFile('out', 'w', zipfile.ZIP_DEFLATED)
            for name, text in [\(entries.joined(separator: ", "))]:
                z.writestr(name, text.encode('utf-8'))
            z.close()
            """
    }

    /// A docx with `body` as the `w:body` content.
    static func docx(body: String, extra: [(String, String)] = []) throws -> [UInt8] {
        let document = """
            <?xml version="1.0" encoding="UTF-8" standalone="yes"?>
            <w:document xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main">\
            <w:body>\(body)</w:body></w:document>
            """
        return try FixtureMaker.python(
            self.zipScript(
                [
                    ("[Content_Types].xml", self.contentTypes("wordprocessingml.document.main")),
                    ("_rels/.rels", "<Relationships/>"),
                    ("word/document.xml", document),
                ] + extra))
    }

    static func contentTypes(_ main: String) -> String {
        """
        <?xml version="1.0" encoding="UTF-8"?><Types \
        xmlns="http://schemas.openxmlformats.org/package/2006/content-types">\
        <Override PartName="/main.xml" \
        ContentType="application/vnd.openxmlformats-officedocument.\(main)+xml"/></Types>
        """
    }

    /// A one-page PDF whose content stream is FlateDecode-compressed and shows `text`.
    static func flatePDF(_ text: String) throws -> [UInt8] {
        try FixtureMaker.python(
            """
            import zlib
            content = b'BT /F1 24 Tf 72 700 Td (' + \(self.pythonString(text)).encode() + b') Tj ET'
            data = zlib.compress(content)
            objects = [b'<< /Type /Catalog /Pages 2 0 R >>',
              b'<< /Type /Pages /Kids [3 0 R] /Count 1 >>',
              b'<< /Type /Page /Parent 2 0 R /MediaBox [0 0 612 792] /Contents 4 0 R '
              b'/Resources << /Font << /F1 5 0 R >> >> >>',
              b'<< /Length %d /Filter /FlateDecode >>\\nstream\\n' % len(data) + data
              + b'\\nendstream',
              b'<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica >>']
            out = b'%PDF-1.4\\n%\\xe2\\xe3\\xcf\\xd3\\n'
            offsets = []
            for number, body in enumerate(objects):
                offsets.append(len(out))
                out += b'%d 0 obj\\n' % (number + 1) + body + b'\\nendobj\\n'
            xref = len(out)
            out += b'xref\\n0 %d\\n0000000000 65535 f \\n' % (len(objects) + 1)
            for offset in offsets:
                out += b'%010d 00000 n \\n' % offset
            out += b'trailer\\n<< /Size %d /Root 1 0 R >>\\nstartxref\\n%d\\n%%%%EOF\\n' % (
              len(objects) + 1, xref)
            open('out', 'wb').write(out)
            """)
    }

    /// `text` as a Python string literal.
    static func pythonString(_ text: String) -> String {
        let escaped = text.unicodeScalars.map { scalar -> String in
            switch scalar {
            case "\\": return "\\\\"
            case "'": return "\\'"
            case "\n": return "\\n"
            default: return String(scalar)
            }
        }
        return "'" + escaped.joined() + "'"
    }

    /// A one-page PDF with `payload` attached as `data.csv` (a flate-compressed EmbeddedFile).
    static func pdfWithAttachment(_ payload: String) throws -> [UInt8] {
        try FixtureMaker.python(
            #"""
            import zlib
            payload = \#(self.pythonString(payload)).encode()
            packed = zlib.compress(payload)
            content = b'BT /F1 24 Tf 72 700 Td (cover page) Tj ET'
            objects = {
              1: b'<< /Type /Catalog /Pages 2 0 R '
                 b'/Names << /EmbeddedFiles << /Names [(data.csv) 6 0 R] >> >> >>',
              2: b'<< /Type /Pages /Kids [3 0 R] /Count 1 >>',
              3: b'<< /Type /Page /Parent 2 0 R /MediaBox [0 0 612 792] /Contents 4 0 R '
                 b'/Resources << /Font << /F1 5 0 R >> >> >>',
              4: b'<< /Length %d >>\nstream\n' % len(content) + content + b'\nendstream',
              5: b'<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica >>',
              6: b'<< /Type /Filespec /F (data.csv) /UF (data.csv) /EF << /F 7 0 R >> >>',
              7: b'<< /Type /EmbeddedFile /Length %d /Filter /FlateDecode >>\nstream\n'
                 % len(packed) + packed + b'\nendstream',
            }
            out = b'%PDF-1.7\n'
            offsets = {}
            for number in sorted(objects):
                offsets[number] = len(out)
                out += b'%d 0 obj\n' % number + objects[number] + b'\nendobj\n'
            xref = len(out)
            out += b'xref\n0 8\n0000000000 65535 f \n'
            out += b''.join(b'%010d 00000 n \n' % offsets[n] for n in range(1, 8))
            out += b'trailer\n<< /Size 8 /Root 1 0 R >>\nstartxref\n%d\n%%%%EOF\n' % xref
            open('out', 'wb').write(out)
            """#)
    }
}
