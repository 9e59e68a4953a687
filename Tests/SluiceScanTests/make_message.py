"""Builds the test messages of ScannerTests from a case name; writes the message to stdout."""
import io
import sys
import zipfile
from email import encoders
from email.mime.base import MIMEBase
from email.mime.multipart import MIMEMultipart
from email.mime.text import MIMEText


def resident_id(base="11010519491231002"):
    weights = [7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2]
    total = sum(int(d) * w for d, w in zip(base, weights))
    return base + "10X98765432"[total % 11]


def attach(message, data, maintype, subtype, filename):
    part = MIMEBase(maintype, subtype)
    part.set_payload(data)
    encoders.encode_base64(part)
    part.add_header("Content-Disposition", "attachment", filename=("utf-8", "", filename))
    message.attach(part)


def zipped(entries):
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        for name, data in entries:
            archive.writestr(name, data)
    return buffer.getvalue()


case = sys.argv[1]
message = MIMEMultipart()
message["From"] = "Alice <alice@example.com>"
message["To"] = "Bob <bob@partner.net>"
message["Subject"] = "资料"
if case == "gbk-body":
    message.attach(MIMEText("请注意：本文件为机密资料，不得外传。", "plain", "gbk"))
elif case == "nested-zip-id":
    message.attach(MIMEText("附件请查收。", "plain", "utf-8"))
    inner = zipped([("名单.txt", "客户：张三 身份证 " + resident_id() + "\n")])
    attach(message, zipped([("inner.zip", inner)]), "application", "zip", "资料.zip")
elif case == "renamed-exe":
    message.attach(MIMEText("Invoice attached.", "plain", "utf-8"))
    pe = b"MZ" + b"\x90" * 58 + b"\x80\x00\x00\x00" + b"\x00" * 64 + b"PE\x00\x00L\x01"
    attach(message, pe + b"\x00" * 300, "application", "pdf", "invoice.pdf")
elif case == "clean":
    message.attach(MIMEText("Lunch at noon?", "plain", "utf-8"))
sys.stdout.buffer.write(message.as_bytes())
