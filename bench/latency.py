"""Per-message latency over one SMTP session: sends COUNT messages of the mail-path corpus
(all kinds but the large ones, in the manifest's proportions) and times each from the end
of its data to the server's reply, where a milter does its work. Prints JSON: percentiles
in milliseconds for short mail (text and HTML) and for mail with attachments.

Usage: latency.py HOST PORT MANIFEST COUNT"""
import json
import re
import smtplib
import sys
import time

host, port, manifest, count = sys.argv[1], int(sys.argv[2]), sys.argv[3], int(sys.argv[4])
kinds = []
for line in open(manifest):
    kind, path, share, _ = line.rstrip("\n").split("\t")
    if not kind.startswith("large"):
        raw = open(path, "rb").read()
        data = re.sub(rb"(?m)^\.", b"..", re.sub(rb"\r?\n", b"\r\n", raw))
        kinds.append((kind, data + b"\r\n.\r\n", int(share)))

# Interleave the kinds in proportion, so each sees the same conditions.
schedule = []
total = sum(share for _, _, share in kinds)
for index in range(count):
    point = (index * total) // count
    for kind, data, share in kinds:
        if point < share:
            schedule.append((kind, data))
            break
        point -= share

times = {"short": [], "attachment": []}
client = smtplib.SMTP(host, port, timeout=120)
client.ehlo("bench.example.com")
for kind, data in schedule:
    client.mail("bench@example.com")
    client.rcpt("sink@example.net")
    code, _ = client.docmd("DATA")
    if code != 354:
        sys.exit("DATA answered %d" % code)
    client.send(data)
    start = time.perf_counter()
    code, reply = client.getreply()
    elapsed = (time.perf_counter() - start) * 1000
    if code != 250:
        sys.exit("%s answered %d %s" % (kind, code, reply.decode(errors="replace")))
    group = "short" if kind.startswith(("text", "html")) else "attachment"
    times[group].append(elapsed)
client.quit()


def percentile(values, fraction):
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(fraction * len(ordered)))]


print(json.dumps({group: {"messages": len(values), "p50_ms": round(percentile(values, 0.5), 3),
                          "p99_ms": round(percentile(values, 0.99), 3)}
                  for group, values in times.items() if values}))
