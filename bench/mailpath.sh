#!/usr/bin/env bash
# Mail-path throughput and latency on a corpus of everyday outbound mail (bench/make-mailpath-
# corpus.py): a private Postfix relaying to smtp-sink, driven by smtp-source, measured with no
# milter, with a do-nothing C milter (bench/null-milter.c), with Sluice (deploy/sluice.conf,
# the shipped dictionaries and 20,000 generated terms) and, with PEERS=1, with rspamd and
# MIMEDefang set up as equivalents (bench/peers.sh). Every figure is also a ratio to Postfix
# alone in the same run. Writes OUT/mailpath.json and OUT/mailpath.md. Run as root after
# `make release`.
#
# Environment: MESSAGES (default 2000), SESSIONS (20), LATENCY_MESSAGES (300),
# PEERS (unset), OUT (bench/results).
set -euo pipefail

top=$(cd "$(dirname "$0")/.." && pwd)
. "$top/deploy/private-postfix.sh"
messages=${MESSAGES:-2000}
sessions=${SESSIONS:-20}
latency_messages=${LATENCY_MESSAGES:-300}
out=${OUT:-$top/bench/results}
work=$(mktemp -d /tmp/sluice-bench-XXXXXX)
chmod 755 "$work"
smtp_port=2625
sink_port=2626
mkdir -p "$out"
if [ -n "${PEERS:-}" ]; then
    . "$top/bench/peers.sh"
    peer_install
fi

cleanup() {
    private_postfix_stop "$work/postfix"
    if [ -n "${sink_pid:-}" ]; then kill "$sink_pid" 2>/dev/null || true; fi
    if [ -n "${milter_pid:-}" ]; then kill "$milter_pid" 2>/dev/null || true; fi
    if [ -n "${peer:-}" ]; then
        peer_stop "$peer" "$work/$peer" || true
    fi
    sleep 0.5
    rm -rf "$work"
}
trap cleanup EXIT

gcc -O2 -Wall -Wextra -Werror -o "$work/null-milter" "$top/bench/null-milter.c" -lmilter
python3 "$top/bench/make-mailpath-corpus.py" "$work/corpus" "$messages" 20000
mkdir -p "$work/dictionaries"
cp "$top"/dictionaries/*.txt "$work/dictionaries/"
cp "$work/corpus/terms.txt" "$work/dictionaries/generated.txt"
export PEER_KEYWORDS=$work/corpus/terms.txt

local_sluice_conf "$top" "$work" \
    -e "s|^dictionaries = .*|dictionaries = $work/dictionaries|" \
    -e "s|^keywords =\$|keywords = project nightingale, 绝密文件, strictly confidential|"

smtp-sink -u postfix "127.0.0.1:$sink_port" 1000 </dev/null >/dev/null 2>&1 &
sink_pid=$!

postfix_with() {
    private_postfix_stop "$work/postfix"
    rm -rf "$work/postfix"
    private_postfix_write "$work/postfix" "$smtp_port" "$sink_port" "$1" "$work" >&2
    private_postfix_start "$work/postfix" "$work/postfix.log" >&2
    sleep 1
    # A short warm-up.
    smtp-source -s 2 -m 20 -F "$work/corpus/text-utf8.eml" -f bench@example.com \
        -t sink@example.net "127.0.0.1:$smtp_port" >/dev/null
}

# send_corpus SESSIONS DIVISOR: sends every kind of the corpus, COUNT/DIVISOR of each, over
# up to SESSIONS parallel sessions; prints "MESSAGES SECONDS".
send_corpus() {
    local parallel=$1 divisor=$2 total=0 path count start end
    start=$(date +%s.%N)
    while IFS=$'\t' read -r _ path count _; do
        count=$(((count + divisor - 1) / divisor))
        smtp-source -s "$((count < parallel ? count : parallel))" -m "$count" -F "$path" \
            -f bench@example.com -t sink@example.net "127.0.0.1:$smtp_port"
        total=$((total + count))
    done <"$work/corpus/manifest.tsv"
    end=$(date +%s.%N)
    echo "$total $(echo "$start $end" | awk '{ printf "%.3f", $2 - $1 }')"
}

# CPU seconds used so far by process PID, its reaped children and its running children (the
# PDF reader processes Sluice keeps).
cpu_of() {
    local files=("/proc/$1/stat") child
    for child in $(pgrep -P "$1" || true); do files+=("/proc/$child/stat"); done
    { cat "${files[@]}" 2>/dev/null || true; } | awk -v ticks="$(getconf CLK_TCK)" \
        '{ sum += $14 + $15 + $16 + $17 } END { printf "%.3f\n", sum / ticks }'
}

start_milter() {
    "$@" >"$work/milter.log" 2>&1 &
    milter_pid=$!
}

wait_socket() {
    for _ in $(seq 300); do [ -S "$1" ] && return; sleep 0.1; done
    echo "no socket $1" >&2
    exit 1
}

stop_milter() {
    kill "$milter_pid" 2>/dev/null || true
    wait "$milter_pid" 2>/dev/null || true
    milter_pid=
}

results=$work/results.txt
: >"$results"
# measure CASE MILTER CPU_COMMAND: one row of figures for CASE.
measure() {
    local case=$1 milter=$2 cpu_command=$3 before after wide narrow latency
    postfix_with "$milter"
    before=$($cpu_command)
    wide=$(send_corpus "$sessions" 1)
    after=$($cpu_command)
    narrow=$(send_corpus 1 4)
    latency=$(python3 "$top/bench/latency.py" 127.0.0.1 "$smtp_port" \
        "$work/corpus/manifest.tsv" "$latency_messages")
    printf '%s\t%s\t%s\t%s\t%s\t%s\n' "$case" "$wide" "$narrow" "$before" "$after" \
        "$latency" >>"$results"
}

measure postfix "" "echo 0"

start_milter "$work/null-milter" "unix:$work/null.sock"
wait_socket "$work/null.sock"
chmod 666 "$work/null.sock"
measure null "unix:$work/null.sock" "cpu_of $milter_pid"
stop_milter

start_milter "$top/.build/release/sluice" milter --config "$work/sluice.conf" --foreground
wait_socket "$work/sluice.sock"
measure sluice "unix:$work/sluice.sock" "cpu_of $milter_pid"
rss=$(awk '/VmHWM/ { print $2 }' "/proc/$milter_pid/status")
stop_milter

if [ -n "${PEERS:-}" ]; then
    for peer in rspamd mimedefang; do
        mkdir -p "$work/$peer"
        address=$(peer_start "$peer" "$work/$peer")
        measure "$peer" "$address" "peer_cpu $peer $work/$peer"
        peer_stop "$peer" "$work/$peer"
    done
    peer=
fi

python3 "$top/bench/report.py" mailpath "$out" "$results" "$rss" "$sessions" \
    "$work/corpus/manifest.tsv"
