#!/usr/bin/env bash
# Mail-path throughput: a private Postfix relaying to smtp-sink, driven by smtp-source,
# measured with no milter, with a do-nothing C milter (bench/null-milter.c) and with Sluice
# (deploy/sluice.conf plus a keyword list that never matches). Each figure is also given as
# a ratio to Postfix alone measured in the same run. Run as root after `make release`.
#
# Environment: MESSAGES (default 2000), SESSIONS (20), SIZE in bytes (20480),
# OUT (bench/results).
set -euo pipefail

top=$(cd "$(dirname "$0")/.." && pwd)
. "$top/deploy/private-postfix.sh"
messages=${MESSAGES:-2000}
sessions=${SESSIONS:-20}
size=${SIZE:-20480}
out=${OUT:-$top/bench/results}
work=$(mktemp -d /tmp/sluice-bench-XXXXXX)
chmod 755 "$work"
smtp_port=2625
sink_port=2626
mkdir -p "$out"

cleanup() {
    private_postfix_stop "$work/postfix"
    [ -n "${sink_pid:-}" ] && kill "$sink_pid" 2>/dev/null || true
    [ -n "${milter_pid:-}" ] && kill "$milter_pid" 2>/dev/null || true
    sleep 0.5
    rm -rf "$work"
}
trap cleanup EXIT

gcc -O2 -Wall -Wextra -Werror -o "$work/null-milter" "$top/bench/null-milter.c" -lmilter

local_sluice_conf "$top" "$work" \
    -e "s|^keywords =\$|keywords = project nightingale, 绝密文件, strictly confidential|"

smtp-sink -u postfix "127.0.0.1:$sink_port" 1000 </dev/null >/dev/null 2>&1 &
sink_pid=$!

# run_case NAME MILTER_SOCKET SESSIONS COUNT: prints elapsed seconds.
run_case() {
    local milter=$1 parallel=$2 count=$3
    private_postfix_stop "$work/postfix"
    rm -rf "$work/postfix"
    private_postfix_write "$work/postfix" "$smtp_port" "$sink_port" "$milter" "$work" >&2
    private_postfix_start "$work/postfix" "$work/postfix.log" >&2
    sleep 1
    # A short warm-up, then the measured run.
    smtp-source -s 2 -m 20 -l "$size" -f bench@example.com -t sink@example.net \
        "127.0.0.1:$smtp_port" >/dev/null 2>&1
    local start end
    start=$(date +%s.%N)
    smtp-source -s "$parallel" -m "$count" -l "$size" -f bench@example.com \
        -t sink@example.net "127.0.0.1:$smtp_port"
    end=$(date +%s.%N)
    echo "$start $end" | awk '{ printf "%.3f\n", $2 - $1 }'
}

start_milter() {
    "$@" >"$work/milter.log" 2>&1 &
    milter_pid=$!
    for _ in $(seq 100); do [ -S "$2" ] || [ -S "$work/sluice.sock" ] && break; sleep 0.1; done
}

stop_milter() {
    kill "$milter_pid" 2>/dev/null || true
    wait "$milter_pid" 2>/dev/null || true
    milter_pid=
}

declare -A seconds
for parallel in "$sessions" 1; do
    count=$messages
    [ "$parallel" = 1 ] && count=$((messages / 4))
    seconds[postfix-$parallel]=$(run_case "" "$parallel" "$count")

    start_milter "$work/null-milter" "unix:$work/null.sock"
    chmod 666 "$work/null.sock"
    seconds[null-$parallel]=$(run_case "unix:$work/null.sock" "$parallel" "$count")
    stop_milter

    start_milter "$top/.build/release/sluice" milter --config "$work/sluice.conf" --foreground
    seconds[sluice-$parallel]=$(run_case "unix:$work/sluice.sock" "$parallel" "$count")
    rss=$(awk '/VmHWM/ { print $2 }' "/proc/$milter_pid/status")
    stop_milter
    seconds[rss-$parallel]=$rss
    seconds[count-$parallel]=$count
done

python3 - "$out" "$sessions" "$size" <<PY
import json, sys
out, sessions, size = sys.argv[1], int(sys.argv[2]), int(sys.argv[3])
raw = {k: float(v) for k, v in [l.split("=", 1) for l in """$(for k in "${!seconds[@]}"; do echo "$k=${seconds[$k]}"; done)""".split()]}
rows = []
for parallel in (sessions, 1):
    count = raw[f"count-{parallel}"]
    base = count / raw[f"postfix-{parallel}"]
    for name, label in (("postfix", "Postfix alone"), ("null", "null C milter"), ("sluice", "Sluice")):
        rate = count / raw[f"{name}-{parallel}"]
        added = (raw[f"{name}-{parallel}"] - raw[f"postfix-{parallel}"]) / count * 1000 if parallel == 1 else None
        rows.append({"sessions": parallel, "case": label, "messages": int(count),
                     "seconds": raw[f"{name}-{parallel}"], "messages_per_second": round(rate, 1),
                     "ratio_to_postfix": round(rate / base, 3),
                     "added_ms_per_message": None if added is None else round(added, 2)})
result = {"message_size": size, "rows": rows,
          "sluice_peak_rss_kib": {str(p): int(raw[f"rss-{p}"]) for p in (sessions, 1)}}
json.dump(result, open(f"{out}/mailpath.json", "w"), indent=2)
lines = ["| sessions | case | messages/s | × Postfix alone | added ms/message |",
         "|---:|---|---:|---:|---:|"]
for r in rows:
    added = "" if r["added_ms_per_message"] is None else f'{r["added_ms_per_message"]:.2f}'
    lines.append(f'| {r["sessions"]} | {r["case"]} | {r["messages_per_second"]:.1f} | {r["ratio_to_postfix"]:.2f} | {added} |')
lines.append("")
lines.append(f"Message size {size} bytes; Sluice peak RSS " + ", ".join(f"{v} KiB ({k} sessions)" for k, v in result["sluice_peak_rss_kib"].items()) + ".")
open(f"{out}/mailpath.md", "w").write("\n".join(lines) + "\n")
print("\n".join(lines))
PY
