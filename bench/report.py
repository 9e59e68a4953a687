"""Turns raw benchmark figures into JSON and Markdown tables.

  report.py mailpath OUT RESULTS RSS_KIB SESSIONS MANIFEST
      RESULTS has one line per case: CASE, "MESSAGES SECONDS" at SESSIONS sessions, the same
      at one session, CPU seconds before and after the wide run, and latency.py's JSON.
  report.py engine OUT ENGINE_JSON
      ENGINE_JSON is what bench/engine.sh gathered.
  report.py combine OUT
      Joins OUT/mailpath.json and OUT/engine.json into OUT/bench.json and OUT/bench.md.
"""
import json
import os
import platform
import subprocess
import sys
import time

LABELS = {"postfix": "Postfix alone", "null": "do-nothing C milter", "sluice": "Sluice",
          "rspamd": "rspamd (milter)", "mimedefang": "MIMEDefang"}


def mailpath(out, results, rss, sessions, manifest):
    corpus = []
    for line in open(manifest):
        kind, _, count, size = line.rstrip("\n").split("\t")
        corpus.append({"kind": kind, "messages": int(count), "bytes": int(size)})
    cases = {}
    for line in open(results):
        case, wide, narrow, before, after, latency = line.rstrip("\n").split("\t")
        wide_count, wide_seconds = wide.split()
        narrow_count, narrow_seconds = narrow.split()
        cases[case] = {
            "messages": int(wide_count),
            "messages_per_second": int(wide_count) / float(wide_seconds),
            "one_session_messages": int(narrow_count),
            "one_session_messages_per_second": int(narrow_count) / float(narrow_seconds),
            "filter_cpu_ms_per_message":
                (float(after) - float(before)) * 1000 / int(wide_count),
            "latency": json.loads(latency),
        }
    base, floor = cases["postfix"], cases.get("null")
    for name, case in cases.items():
        case["label"] = LABELS.get(name, name)
        case["ratio_to_postfix"] = case["messages_per_second"] / base["messages_per_second"]
        case["one_session_ratio_to_postfix"] = (
            case["one_session_messages_per_second"] / base["one_session_messages_per_second"])
        if floor:
            case["ratio_to_null_milter"] = (
                case["messages_per_second"] / floor["messages_per_second"])
        for group, figures in case["latency"].items():
            reference = base["latency"].get(group)
            if reference:
                figures["added_p50_ms"] = figures["p50_ms"] - reference["p50_ms"]
                figures["added_p99_ms"] = figures["p99_ms"] - reference["p99_ms"]
    if "sluice" in cases:
        cases["sluice"]["peak_rss_kib"] = int(rss)
        for peer in ("rspamd", "mimedefang"):
            if peer in cases:
                cases["sluice"]["ratio_to_" + peer] = (
                    cases["sluice"]["messages_per_second"] / cases[peer]["messages_per_second"])
    result = {"sessions": int(sessions), "corpus": corpus, "cases": cases}
    json.dump(result, open(os.path.join(out, "mailpath.json"), "w"), indent=2)
    write(os.path.join(out, "mailpath.md"), mailpath_table(result))


def mailpath_table(result):
    cases, sessions = result["cases"], result["sessions"]
    lines = [
        "| filter | msg/s (%d sessions) | × Postfix | × null milter | msg/s (1 session) "
        "| × Postfix | filter CPU ms/msg | short mail added p50 / p99 ms "
        "| attachments added p50 / p99 ms |" % sessions,
        "|---|---:|---:|---:|---:|---:|---:|---:|---:|",
    ]
    for name, case in cases.items():
        def added(group):
            figures = case["latency"].get(group, {})
            if name == "postfix" or "added_p50_ms" not in figures:
                return "%.2f / %.2f (total)" % (figures.get("p50_ms", 0), figures.get("p99_ms", 0))
            return "%.2f / %.2f" % (figures["added_p50_ms"], figures["added_p99_ms"])
        lines.append("| %s | %.1f | %.2f | %s | %.1f | %.2f | %s | %s | %s |" % (
            case["label"], case["messages_per_second"], case["ratio_to_postfix"],
            "%.2f" % case["ratio_to_null_milter"] if "ratio_to_null_milter" in case else "",
            case["one_session_messages_per_second"], case["one_session_ratio_to_postfix"],
            "" if name == "postfix" else "%.2f" % case["filter_cpu_ms_per_message"],
            added("short"), added("attachment")))
    sluice = cases.get("sluice", {})
    notes = []
    if "peak_rss_kib" in sluice:
        notes.append("Sluice peak RSS %.1f MiB." % (sluice["peak_rss_kib"] / 1024))
    for peer in ("rspamd", "mimedefang"):
        if "ratio_to_" + peer in sluice:
            notes.append("Sluice ÷ %s throughput: %.2f." % (LABELS[peer], sluice["ratio_to_" + peer]))
    if "mimedefang" in cases and not os.environ.get("PEER_MD_KEYWORDS"):
        notes.append("MIMEDefang matched only the 11 built-in keywords, not the 20,000 generated "
                     "terms (a Perl alternation of them costs seconds per message); "
                     "rspamd and Sluice matched all of them.")
    corpus = result["corpus"]
    total = sum(kind["messages"] for kind in corpus)
    volume = sum(kind["messages"] * kind["bytes"] for kind in corpus)
    notes.append("Corpus: %d messages, %.0f MB, of %s." % (total, volume / 1e6, ", ".join(
        "%d %s" % (kind["messages"], kind["kind"]) for kind in corpus)))
    return lines + [""] + notes


def engine(out, raw):
    figures = json.load(open(raw))
    json.dump(figures, open(os.path.join(out, "engine.json"), "w"), indent=2)
    write(os.path.join(out, "engine.md"), engine_table(figures))


def engine_table(figures):
    parse = figures["parse"]
    lines = ["| whole-message engine | MB/s | Sluice ÷ engine |", "|---|---:|---:|"]
    for key, label in (("sluice", "`sluice scan` (parse, decode, extract, detect, decide)"),
                       ("gmime", "GMime parse + decode (C)"),
                       ("python", "Python `email` parse + decode")):
        lines.append("| %s | %.1f | %.2f |" % (label, parse[key], parse["sluice"] / parse[key]))
    detect = figures["detect"]
    lines += ["", "| detection (one core) | Sluice | baseline | ratio |", "|---|---:|---:|---:|"]
    lines.append("| normalise only, MB/s | %.0f | | |" % detect["normalize_mb_s"])
    lines.append("| full pass, shipped dictionaries (%d patterns), MB/s | %.0f | | |" % (
        detect["shipped_patterns"], detect["shipped_full_pass_mb_s"]))
    for row in detect["generated"]:
        terms = row["terms"]
        grep = figures["grep"].get(str(terms))
        hyperscan = figures["hyperscan"].get(str(terms))
        lines.append("| full pass, + %d terms, MB/s vs Hyperscan alone | %.0f | %.0f | %.2f |" % (
            terms, row["full_pass_mb_s"], hyperscan, row["full_pass_mb_s"] / hyperscan))
        lines.append("| full pass, + %d terms, MB/s vs `grep -F -f` | %.0f | %.1f | %.1f |" % (
            terms, row["full_pass_mb_s"], grep, row["full_pass_mb_s"] / grep))
        lines.append("| compile %d terms, s (cached load) | %.2f (%.3f) | | |" % (
            terms, row["compile_s"], row["cached_load_s"]))
    lines += ["", "Corpus for the whole-message rows: %s. Detection text: %.0f MB of generated "
              "mixed Chinese/English." % (figures["corpus"], detect["text_megabytes"])]
    return lines


def combine(out):
    parts = {}
    for name in ("mailpath", "engine"):
        path = os.path.join(out, name + ".json")
        if os.path.exists(path):
            parts[name] = json.load(open(path))
    commit = subprocess.run(["git", "-C", os.path.dirname(os.path.abspath(__file__)),
                             "rev-parse", "--short", "HEAD"], capture_output=True, text=True)
    machine = {"cores": os.cpu_count(), "cpu": cpu_model(), "kernel": platform.release(),
               "date": time.strftime("%Y-%m-%d %H:%M UTC", time.gmtime()),
               "commit": commit.stdout.strip()}
    json.dump({"machine": machine, **parts}, open(os.path.join(out, "bench.json"), "w"),
              indent=2)
    lines = ["# Sluice benchmark", "",
             "%(date)s, commit %(commit)s, %(cores)d cores (%(cpu)s), Linux %(kernel)s."
             % machine, ""]
    if "mailpath" in parts:
        lines += ["## Mail path", ""] + mailpath_table(parts["mailpath"]) + [""]
    if "engine" in parts:
        lines += ["## Engine", ""] + engine_table(parts["engine"]) + [""]
    write(os.path.join(out, "bench.md"), lines)
    print("\n".join(lines))


def cpu_model():
    for line in open("/proc/cpuinfo"):
        if line.startswith("model name"):
            return line.split(":", 1)[1].strip()
    return platform.machine()


def write(path, lines):
    with open(path, "w") as handle:
        handle.write("\n".join(lines) + "\n")


if __name__ == "__main__":
    command, out = sys.argv[1], sys.argv[2]
    if command == "mailpath":
        mailpath(out, *sys.argv[3:7])
    elif command == "engine":
        engine(out, sys.argv[3])
    elif command == "combine":
        combine(out)
    else:
        sys.exit(__doc__)
