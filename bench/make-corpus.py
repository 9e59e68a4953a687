"""Writes the engine benchmark's large messages into a folder: base64 attachments (zip,
docx-like, binary), quoted-printable GBK HTML bodies and long UTF-8 text, each about SIZE
megabytes. Usage: make-corpus.py DIR [COUNT] [SIZE_MB]"""
import io
import os
import random
import sys
import zipfile
from email import encoders
from email.mime.base import MIMEBase
from email.mime.multipart import MIMEMultipart
from email.mime.text import MIMEText

out, count, size = sys.argv[1], int(sys.argv[2]) if len(sys.argv) > 2 else 4, \
    int(sys.argv[3]) if len(sys.argv) > 3 else 8
os.makedirs(out, exist_ok=True)
random.seed(7)
words = ("季度 报告 客户 合同 会议 项目 预算 计划 安排 通知 quarterly report customer "
         "meeting project budget schedule notice").split()


def text(nbytes):
    parts, length = [], 0
    while length < nbytes:
        line = " ".join(random.choice(words) for _ in range(12)) + "\n"
        parts.append(line)
        length += len(line.encode())
    return "".join(parts)


for index in range(count):
    message = MIMEMultipart()
    message["From"] = "alice@example.com"
    message["To"] = "bob@example.net"
    message["Subject"] = "bench %d" % index
    quarter = size * (1 << 20) // 4
    message.attach(MIMEText("<html><body><p>" + text(quarter).replace("\n", "</p><p>")
                            + "</p></body></html>", "html", "gbk"))
    message.attach(MIMEText(text(quarter), "plain", "utf-8"))
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("notes.txt", text(quarter))
    attachment = MIMEBase("application", "zip")
    attachment.set_payload(buffer.getvalue())
    encoders.encode_base64(attachment)
    attachment.add_header("Content-Disposition", "attachment", filename="notes.zip")
    message.attach(attachment)
    blob = MIMEBase("application", "octet-stream")
    blob.set_payload(os.urandom(quarter))
    encoders.encode_base64(blob)
    blob.add_header("Content-Disposition", "attachment", filename="data.bin")
    message.attach(blob)
    with open(os.path.join(out, "bench-%d.eml" % index), "wb") as handle:
        handle.write(message.as_bytes())
