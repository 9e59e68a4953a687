#!/usr/bin/env bash
# Soak: Sluice behind a private Postfix at about 80% of the throughput measured at the
# start, for SOAK_MINUTES (default 20). Every 30 s it samples Sluice's RSS and open file
# descriptors and the time of one single-message SMTP session; at the end it reports RSS
# growth, descriptor counts and latency percentiles per third of the run. Run as root after
# `make release`.
set -euo pipefail

top=$(cd "$(dirname "$0")/.." && pwd)
. "$top/deploy/private-postfix.sh"
minutes=${SOAK_MINUTES:-20}
work=$(mktemp -d /tmp/sluice-soak-XXXXXX)
chmod 755 "$work"
smtp_port=2825
sink_port=2826

cleanup() {
    private_postfix_stop "$work/postfix"
    if [ -n "${sink_pid:-}" ]; then kill "$sink_pid" 2>/dev/null || true; fi
    if [ -n "${milter_pid:-}" ]; then kill "$milter_pid" 2>/dev/null || true; fi
    sleep 0.5
    [ -n "${SOAK_KEEP:-}" ] || rm -rf "$work"
}
trap cleanup EXIT

local_sluice_conf "$top" "$work" \
    -e "s|^level = info|level = warning|"

smtp-sink -u postfix "127.0.0.1:$sink_port" 1000 </dev/null >/dev/null 2>&1 &
sink_pid=$!
"$top/.build/release/sluice" milter --config "$work/sluice.conf" --foreground \
    >"$work/sluice.log" 2>&1 &
milter_pid=$!
for _ in $(seq 100); do [ -S "$work/sluice.sock" ] && break; sleep 0.1; done
private_postfix_write "$work/postfix" "$smtp_port" "$sink_port" "unix:$work/sluice.sock" "$work"
private_postfix_start "$work/postfix" "$work/postfix.log"
sleep 1

# 1,000 sessions at once (Postfix allowed that many smtpd processes): every message must
# be accepted, and Sluice's threads and memory must come back down.
postconf -c "$work/postfix/etc" -e "default_process_limit = 1100" \
    "smtpd_client_connection_count_limit = 0" "smtpd_client_connection_rate_limit = 0"
postfix -c "$work/postfix/etc" reload >/dev/null 2>&1
sleep 2
burst=$(smtp-source -s 1000 -m 2000 -l 4096 -f burst@example.com -t sink@example.net \
    "127.0.0.1:$smtp_port" 2>&1 | grep -c -E 'error|fail' || true)
echo "1000 sessions: $burst errors, Sluice threads $(find "/proc/$milter_pid/task" -mindepth 1 -maxdepth 1 | wc -l)," \
    "RSS $(awk '/VmRSS/ { print $2 }' "/proc/$milter_pid/status") KiB"
sleep 5
echo "after the burst: threads $(find "/proc/$milter_pid/task" -mindepth 1 -maxdepth 1 | wc -l)," \
    "RSS $(awk '/VmRSS/ { print $2 }' "/proc/$milter_pid/status") KiB"

start=$(date +%s.%N)
smtp-source -s 10 -m 500 -l 20480 -f soak@example.com -t sink@example.net \
    "127.0.0.1:$smtp_port" 2>/dev/null || true
capacity=$(echo "$start $(date +%s.%N)" | awk '{ printf "%d", 500 / ($2 - $1) }')
rate=$(( capacity * 8 / 10 ))
echo "capacity ${capacity} msg/s, soaking at ${rate} msg/s for ${minutes} min"

samples=$work/samples
end=$(( $(date +%s) + minutes * 60 ))
next_sample=0
while [ "$(date +%s)" -lt "$end" ]; do
    second=$(date +%s.%N)
    (smtp-source -s 5 -m "$rate" -l 20480 -f soak@example.com -t sink@example.net \
        "127.0.0.1:$smtp_port" 2>/dev/null || true) &
    batch=$!
    if [ "$(date +%s)" -ge "$next_sample" ]; then
        latency=$(python3 - "$smtp_port" <<'PY'
import smtplib, sys, time
start = time.monotonic()
try:
    with smtplib.SMTP("127.0.0.1", int(sys.argv[1]), timeout=60) as client:
        client.sendmail("probe@example.com", ["sink@example.net"],
                        b"Subject: probe\r\n\r\nA short probe.\r\n")
except smtplib.SMTPException:
    print(-1)
    sys.exit(0)
print(int((time.monotonic() - start) * 1_000_000))
PY
)
        rss=$(awk '/VmRSS/ { print $2 }' "/proc/$milter_pid/status")
        fds=$(find "/proc/$milter_pid/fd" -mindepth 1 -maxdepth 1 | wc -l)
        echo "$(date +%s) $rss $fds $latency" >>"$samples"
        next_sample=$(( $(date +%s) + 30 ))
    fi
    wait "$batch" || true
    rest=$(echo "$second $(date +%s.%N)" | awk '{ d = 1 - ($2 - $1); print (d > 0 ? d : 0) }')
    sleep "$rest"
done

python3 - "$samples" <<'PY'
import sys
rows = [list(map(int, line.split())) for line in open(sys.argv[1])]
third = max(1, len(rows) // 3)
first, last = rows[:third], rows[-third:]
def p99(values):
    values = sorted(values)
    return values[min(len(values) - 1, int(len(values) * 0.99))] / 1000
rss0 = sum(r[1] for r in first) / len(first)
rss1 = sum(r[1] for r in last) / len(last)
refused = [r for r in rows if r[3] < 0]
rows = [r for r in rows if r[3] >= 0] or rows
print(f"samples: {len(rows)}, probes refused: {len(refused)}")
print(f"RSS: {rss0 / 1024:.1f} MiB first third, {rss1 / 1024:.1f} MiB last third, "
      f"growth {100 * (rss1 - rss0) / rss0:+.1f}%")
print(f"open descriptors: first {first[0][2]}, last {last[-1][2]}, max {max(r[2] for r in rows)}")
print(f"probe latency p99: {p99([r[3] for r in first]):.1f} ms first third, "
      f"{p99([r[3] for r in last]):.1f} ms last third")
PY
