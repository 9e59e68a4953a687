#!/usr/bin/env python3
# Writes messages built with Python's `email` package into the directory given as argument,
# one per feature the MIME parser must read (legacy charsets, transfer encodings, RFC 2047 and
# RFC 2231 headers, nesting, attachments), for the differential test. Prints the file paths.
import email.charset
import email.policy
import os
import sys
from email.header import Header
from email.message import EmailMessage
from email.mime.application import MIMEApplication
from email.mime.message import MIMEMessage
from email.mime.multipart import MIMEMultipart
from email.mime.text import MIMEText

SECRET = "机密资料，请勿外传"


def text_message(text, charset, subtype="plain", cte=None):
    message = MIMEText(text, subtype, charset)
    if cte is not None:
        payload = text.encode(charset)
        del message["Content-Transfer-Encoding"]
        if cte == "quoted-printable":
            import quopri
            message.set_payload(quopri.encodestring(payload).decode("ascii"))
        else:
            import base64
            message.set_payload(base64.encodebytes(payload).decode("ascii"))
        message["Content-Transfer-Encoding"] = cte
    return message


def generated():
    messages = {}
    messages["gbk_base64"] = text_message(SECRET, "gbk", cte="base64")
    messages["gb2312_qp_html"] = text_message(
        f"<html><body><p>{SECRET}</p><p>第二段</p></body></html>", "gb2312", "html",
        cte="quoted-printable")
    subject = MIMEText("body", "plain", "utf-8")
    subject["Subject"] = Header("关于机密项目的通知", "gb2312")
    messages["rfc2047_subject"] = subject
    for charset in ("big5", "shift_jis", "euc-kr", "koi8-r", "iso-2022-jp", "utf-8"):
        sample = {
            "big5": "機密文件", "shift_jis": "機密情報", "euc-kr": "기밀 문서",
            "koi8-r": "секретный документ", "iso-2022-jp": "機密情報です", "utf-8": SECRET,
        }[charset]
        messages[f"text_{charset}"] = MIMEText(sample, "plain", charset)

    mixed = EmailMessage(policy=email.policy.default)
    mixed["Subject"] = "附件：机密"
    mixed.set_content("正文 " + SECRET)
    mixed.add_alternative(f"<p>{SECRET}</p>", subtype="html")
    mixed.add_attachment(SECRET.encode("utf-16"), maintype="text", subtype="plain",
                         filename="notes.txt", params={"charset": "utf-16"})
    mixed.add_attachment(b"%PDF-1.4\n", maintype="application", subtype="pdf",
                         filename="机密" * 30 + ".pdf")
    mixed.add_attachment(b"\x00\x01binary", maintype="application", subtype="octet-stream",
                         filename="数据.bin")
    messages["mixed_rfc2231"] = mixed

    outer = MIMEMultipart()
    outer.attach(MIMEText("see the forwarded message", "plain", "utf-8"))
    outer.attach(MIMEMessage(text_message(SECRET, "gb18030", cte="base64")))
    attachment = MIMEApplication(b"\x89PNG\r\n", "octet-stream")
    attachment.add_header("Content-Disposition", "attachment", filename=("gbk", "", "机密.png"))
    outer.attach(attachment)
    messages["forwarded_nested"] = outer
    return messages


# Hand-written damaged messages: Python parses them as they are, so both parsers face the
# same damage.
DAMAGED = {
    "unterminated": (
        b"Content-Type: multipart/mixed; boundary=b\n\n--b\nContent-Type: text/plain\n\n"
        b"first\n--b\nContent-Type: text/plain\n\nlast part, no closing boundary\n"),
    "bare_lf_nested": (
        b"Content-Type: multipart/mixed; boundary=\"outer\"\n\npreamble\n--outer\n"
        b"Content-Type: message/rfc822\n\nSubject: inner\nContent-Type: multipart/alternative;"
        b" boundary=in\n\n--in\nContent-Type: text/plain\n\nplain\n--in\n"
        b"Content-Type: text/html\n\n<p>html</p>\n--in--\n--outer--\nepilogue\n"),
    "headerless_parts": (
        b"Content-Type: multipart/mixed; boundary=b\r\n\r\n--b\r\n\r\nno headers\r\n"
        b"--b\r\nbody at once\r\n--b--\r\n"),
    "eight_bit_headers": (
        "Subject: 机密 raw utf-8\nContent-Type: text/plain; charset=utf-8\n"
        "Content-Disposition: attachment; filename=\"机密.txt\"\n\n正文\n".encode("utf-8")),
    "rfc2231_continuations": (
        b"Content-Type: application/octet-stream;\n name*0*=utf-8''%E6%9C%BA;\n"
        b" name*1*=%E5%AF%86;\n name*2=.bin\nContent-Transfer-Encoding: base64\n\nAAEC\n"),
    "spaced_boundary": (
        b"Content-Type: multipart/mixed;\n boundary=\"a b=c?\"\n\n--a b=c?\n\none\n"
        b"--a b=c?\nContent-Type: text/plain; charset=us-ascii\n\ntwo\n--a b=c?--\n"),
    "folded_subject": (
        b"Subject: =?utf-8?B?5py65a+G?=\n =?utf-8?q?_report?=\n\nbody\n"),
    "bad_base64": (
        b"Content-Type: text/plain; charset=utf-8\nContent-Transfer-Encoding: base64\n\n"
        b"5py6\n5a+G\n"),
}


def main():
    directory = sys.argv[1]
    for name, message in generated().items():
        path = os.path.join(directory, f"gen_{name}.eml")
        with open(path, "wb") as handle:
            handle.write(message.as_bytes())
        print(path)
    for name, raw in DAMAGED.items():
        path = os.path.join(directory, f"raw_{name}.eml")
        with open(path, "wb") as handle:
            handle.write(raw)
        print(path)


if __name__ == "__main__":
    main()
