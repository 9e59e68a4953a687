"""Writes the mail-path benchmark's corpus: one message file per kind of everyday outbound
mail (short text and HTML in UTF-8 and GBK, Office and PDF attachments, a zip, and large
5 MB and 20 MB messages), a manifest giving how many of each a run of MESSAGES sends, and
TERMS generated dictionary terms that never occur in the corpus, so every filter does the
same work and accepts every message.

Usage: make-mailpath-corpus.py DIR MESSAGES TERMS
Manifest lines: KIND<TAB>FILE<TAB>COUNT<TAB>BYTES"""
import io
import os
import random
import sys
import zipfile
import zlib
from email import encoders
from email.mime.base import MIMEBase
from email.mime.multipart import MIMEMultipart
from email.mime.text import MIMEText
from email.utils import formatdate

out, messages, term_count = sys.argv[1], int(sys.argv[2]), int(sys.argv[3])
os.makedirs(out, exist_ok=True)
random.seed(11)

CHINESE = ("季度 报告 客户 会议 项目 预算 计划 安排 通知 销售 市场 产品 研发 团队 培训 "
           "出差 报销 审批 进度 交付 质量 服务 支持 运营 数据 分析 目标 完成 情况 总结").split()
ENGLISH = ("quarterly report customer meeting project budget schedule notice sales market "
           "product team training travel expense approval progress delivery quality service "
           "support operations data analysis target status summary agenda minutes").split()


def sentence(words, count):
    return " ".join(random.choice(words) for _ in range(count))


def paragraphs(nbytes, chinese=0.5):
    parts, length = [], 0
    while length < nbytes:
        words = CHINESE if random.random() < chinese else ENGLISH
        line = sentence(words, 14) + ("。" if words is CHINESE else ".")
        parts.append(line)
        length += len(line.encode())
    return parts


def headers(message, index):
    message["From"] = "Alice Zhang <alice@example.com>"
    message["To"] = "bob@example.net"
    message["Subject"] = "Re: %s %d" % (sentence(ENGLISH, 3), index)
    message["Date"] = formatdate(0)
    message["Message-ID"] = "<bench-%d@example.com>" % index


def text_message(index, charset, nbytes):
    message = MIMEText("\n".join(paragraphs(nbytes)), "plain", charset)
    headers(message, index)
    return message


def html_message(index, charset, nbytes):
    lines = paragraphs(nbytes // 2)
    message = MIMEMultipart("alternative")
    headers(message, index)
    message.attach(MIMEText("\n".join(lines), "plain", charset))
    html = ("<html><body><table>" + "".join(
        "<tr><td><p style=\"font-family:SimSun\">%s</p></td></tr>" % line for line in lines)
        + "</table></body></html>")
    message.attach(MIMEText(html, "html", charset))
    return message


def with_attachment(index, name, subtype, payload):
    message = MIMEMultipart()
    headers(message, index)
    message.attach(MIMEText("\n".join(paragraphs(1500)), "plain", "utf-8"))
    part = MIMEBase("application", subtype)
    part.set_payload(payload)
    encoders.encode_base64(part)
    part.add_header("Content-Disposition", "attachment", filename=name)
    message.attach(part)
    return message


def docx(nbytes):
    body = "".join("<w:p><w:r><w:t>%s</w:t></w:r></w:p>" % line for line in paragraphs(nbytes))
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("[Content_Types].xml",
                         '<?xml version="1.0"?><Types xmlns="http://schemas.openxmlformats.org/'
                         'package/2006/content-types"><Override PartName="/word/document.xml" '
                         'ContentType="application/vnd.openxmlformats-officedocument.'
                         'wordprocessingml.document.main+xml"/></Types>')
        archive.writestr("word/document.xml",
                         '<?xml version="1.0"?><w:document xmlns:w="http://schemas.openxmlformats'
                         '.org/wordprocessingml/2006/main"><w:body>%s</w:body></w:document>' % body)
    return buffer.getvalue()


def xlsx(rows):
    strings = [sentence(random.choice([CHINESE, ENGLISH]), 4) for _ in range(rows)]
    shared = "".join("<si><t>%s</t></si>" % s for s in strings)
    sheet = "".join('<row r="%d"><c r="A%d" t="s"><v>%d</v></c><c r="B%d"><v>%d</v></c></row>'
                    % (i + 1, i + 1, i, i + 1, random.randrange(100000)) for i in range(rows))
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("[Content_Types].xml",
                         '<?xml version="1.0"?><Types xmlns="http://schemas.openxmlformats.org/'
                         'package/2006/content-types"><Override PartName="/xl/workbook.xml" '
                         'ContentType="application/vnd.openxmlformats-officedocument.'
                         'spreadsheetml.sheet.main+xml"/></Types>')
        archive.writestr("xl/workbook.xml", '<?xml version="1.0"?><workbook/>')
        archive.writestr("xl/sharedStrings.xml", '<?xml version="1.0"?><sst>%s</sst>' % shared)
        archive.writestr("xl/worksheets/sheet1.xml",
                         '<?xml version="1.0"?><worksheet><sheetData>%s</sheetData></worksheet>'
                         % sheet)
    return buffer.getvalue()


def pdf(lines):
    """A small PDF whose page shows English lines in Helvetica, its content stream deflated."""
    text = "BT /F1 9 Tf 40 800 Td 11 TL " + " ".join(
        "(%s) '" % sentence(ENGLISH, 10) for _ in range(lines)) + " ET"
    stream = zlib.compress(text.encode())
    objects = [
        b"<< /Type /Catalog /Pages 2 0 R >>",
        b"<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
        b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 595 842] /Contents 4 0 R "
        b"/Resources << /Font << /F1 5 0 R >> >> >>",
        b"<< /Length %d /Filter /FlateDecode >>\nstream\n" % len(stream) + stream
        + b"\nendstream",
        b"<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica >>",
    ]
    data, offsets = b"%PDF-1.4\n", []
    for number, body in enumerate(objects, 1):
        offsets.append(len(data))
        data += b"%d 0 obj\n" % number + body + b"\nendobj\n"
    xref = len(data)
    data += b"xref\n0 %d\n0000000000 65535 f \n" % (len(objects) + 1)
    data += b"".join(b"%010d 00000 n \n" % offset for offset in offsets)
    data += b"trailer\n<< /Size %d /Root 1 0 R >>\nstartxref\n%d\n%%%%EOF\n" % (
        len(objects) + 1, xref)
    return data


def zipped_csv(rows):
    csv = "\n".join("%d,%s,%d" % (i, sentence(ENGLISH, 3), random.randrange(10 ** 6))
                    for i in range(rows))
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("export/orders.csv", csv)
        archive.writestr("export/readme.txt", "\n".join(paragraphs(2000)))
    return buffer.getvalue()


def large(index, megabytes):
    message = MIMEMultipart()
    headers(message, index)
    message.attach(MIMEText("\n".join(paragraphs(200 * 1024)), "plain", "utf-8"))
    part = MIMEBase("application", "vnd.openxmlformats-officedocument.wordprocessingml.document")
    part.set_payload(docx(megabytes * 1024 * 1024 // 4))
    encoders.encode_base64(part)
    part.add_header("Content-Disposition", "attachment", filename="handbook.docx")
    message.attach(part)
    blob = MIMEBase("application", "octet-stream")
    blob.set_payload(os.urandom(megabytes * 1024 * 1024 * 3 // 4 - 200 * 1024))
    encoders.encode_base64(blob)
    blob.add_header("Content-Disposition", "attachment", filename="scan.bin")
    message.attach(blob)
    return message


# Kind, builder, share of the run (large ones: a fixed few per thousand).
KINDS = [
    ("text-utf8", lambda i: text_message(i, "utf-8", 2500), 0.22),
    ("text-gbk", lambda i: text_message(i, "gbk", 2500), 0.10),
    ("html-utf8", lambda i: html_message(i, "utf-8", 12000), 0.16),
    ("html-gbk", lambda i: html_message(i, "gbk", 12000), 0.08),
    ("docx", lambda i: with_attachment(
        i, "report.docx",
        "vnd.openxmlformats-officedocument.wordprocessingml.document", docx(60000)), 0.12),
    ("xlsx", lambda i: with_attachment(
        i, "figures.xlsx", "vnd.openxmlformats-officedocument.spreadsheetml.sheet",
        xlsx(600)), 0.10),
    ("pdf", lambda i: with_attachment(i, "minutes.pdf", "pdf", pdf(60)), 0.10),
    ("zip", lambda i: with_attachment(i, "export.zip", "zip", zipped_csv(2000)), 0.105),
    ("large-5mb", lambda i: large(i, 5), 0.004),
    ("large-20mb", lambda i: large(i, 20), 0.001),
]

with open(os.path.join(out, "manifest.tsv"), "w") as manifest:
    for index, (kind, build, share) in enumerate(KINDS):
        path = os.path.join(out, kind + ".eml")
        data = build(index).as_bytes()
        with open(path, "wb") as handle:
            handle.write(data)
        count = max(1, round(messages * share))
        manifest.write("%s\t%s\t%d\t%d\n" % (kind, path, count, len(data)))

# Terms from ideographs the corpus never uses, so no filter finds one in it.
used = {c for word in CHINESE for c in word}
alphabet = [chr(c) for c in range(0x4E00, 0x9FA6) if chr(c) not in used]
with open(os.path.join(out, "terms.txt"), "w", encoding="utf-8") as handle:
    seen = set()
    while len(seen) < term_count:
        term = "".join(random.choice(alphabet) for _ in range(random.randint(3, 6)))
        if term not in seen:
            seen.add(term)
            handle.write(term + "\n")
