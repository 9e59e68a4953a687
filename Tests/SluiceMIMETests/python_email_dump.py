#!/usr/bin/env python3
# Dumps how Python's `email` package reads each message, as JSON on stdout, for the
# differential test in PythonDifferentialTests.swift. For every entity: its path (numbered the
# way Sluice numbers parts), content type, decoded file name, and for text leaves the decoded
# text (HTML reduced to its character data). Usage: python_email_dump.py FILE...
import email
import email.errors
import email.header
import email.policy
import html.parser
import json
import sys


class _HTMLData(html.parser.HTMLParser):
    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.chunks = []
        self.skipping = 0

    def handle_starttag(self, tag, attrs):
        if tag in ("script", "style"):
            self.skipping += 1

    def handle_endtag(self, tag):
        if tag in ("script", "style") and self.skipping:
            self.skipping -= 1

    def handle_data(self, data):
        if not self.skipping:
            self.chunks.append(data)


def html_text(source):
    parser = _HTMLData()
    parser.feed(source)
    parser.close()
    return " ".join(parser.chunks)


def filename_of(part):
    name = part.get_filename()
    if name is None:
        return None
    # Python leaves RFC 2047 words inside a parameter undecoded; mail clients decode them,
    # and so does Sluice, so decode here to compare what a recipient sees.
    if "=?" in name:
        pieces = []
        for chunk, charset in email.header.decode_header(name):
            if isinstance(chunk, bytes):
                chunk = chunk.decode(charset or "ascii", "replace")
            pieces.append(chunk)
        name = "".join(pieces)
    return name


def text_of(part):
    if part.is_multipart():
        return None
    maintype = part.get_content_maintype()
    if maintype not in ("text", "multipart"):
        return None
    payload = part.get_payload(decode=True)
    if not isinstance(payload, bytes):
        return None
    charset = part.get_content_charset() or "us-ascii"
    try:
        text = payload.decode(charset, "replace")
    except LookupError:
        text = payload.decode("utf-8", "replace")
    if part.get_content_type() == "text/html":
        text = html_text(text)
    return text


def subject_of(part):
    raw = part.get("subject")
    if raw is None:
        return None
    try:
        return str(email.header.make_header(email.header.decode_header(raw)))
    except (LookupError, UnicodeError, email.errors.HeaderParseError):
        return None


def walk(part, path, out, parent_type):
    out.append({
        "path": path,
        "type": part.get_content_type(),
        "parentType": parent_type,
        "filename": filename_of(part),
        "subject": subject_of(part),
        "text": text_of(part),
    })
    payload = part.get_payload()
    if isinstance(payload, list):
        for number, child in enumerate(payload, start=1):
            if isinstance(child, email.message.Message):
                walk(child, f"{path}.{number}", out, part.get_content_type())


def main():
    result = {}
    for name in sys.argv[1:]:
        with open(name, "rb") as handle:
            message = email.message_from_binary_file(handle, policy=email.policy.compat32)
        entities = []
        walk(message, "1", entities, None)
        result[name] = entities
    json.dump(result, sys.stdout, ensure_ascii=False)


if __name__ == "__main__":
    main()
