#!/usr/bin/env bash
# Starts (or stops) Sluice with a private Postfix on loopback, for trying Sluice out:
#
#   SMTP client ──► Postfix 127.0.0.1:2525 ──milter──► sluice milter
#                        │
#                        └──► smtp-sink 127.0.0.1:2526 (writes each message to a file)
#
# Sluice runs with deploy/sluice.conf, changed only where a local run must differ: the
# socket, spool and log live under $SLUICE_RUN_DIR (default /tmp/sluice-run). Run as root
# (Postfix's master needs it). Usage: run-local.sh start|stop|status
set -euo pipefail

top=$(cd "$(dirname "$0")/.." && pwd)
. "$top/deploy/private-postfix.sh"
run=${SLUICE_RUN_DIR:-/tmp/sluice-run}
smtp_port=${SLUICE_SMTP_PORT:-2525}
sink_port=${SLUICE_SINK_PORT:-2526}
binary=${SLUICE_BINARY:-$top/.build/release/sluice}
postfix_dir=$run/postfix

stop() {
    if [ -f "$run/sluice.pid" ]; then
        kill "$(cat "$run/sluice.pid")" 2>/dev/null || true
        rm -f "$run/sluice.pid"
    fi
    private_postfix_stop "$postfix_dir"
    if [ -f "$run/sink.pid" ]; then
        kill "$(cat "$run/sink.pid")" 2>/dev/null || true
        rm -f "$run/sink.pid"
    fi
}

write_sluice_conf() {
    # The shipped defaults, with this run's paths and a log file instead of syslog.
    local_sluice_conf "$top" "$run"
}

start() {
    [ -x "$binary" ] || { echo "run-local: $binary not built (make release)" >&2; exit 1; }
    stop
    mkdir -p "$run/sink" "$run/spool"
    chmod 755 "$run"
    chown postfix "$run/sink"
    write_sluice_conf
    private_postfix_write "$postfix_dir" "$smtp_port" "$sink_port" "unix:$run/sluice.sock" \
        "$run"

    "$binary" check-config --config "$run/sluice.conf" >/dev/null
    setsid "$binary" milter --config "$run/sluice.conf" --foreground \
        >>"$run/sluice.log" 2>&1 </dev/null &
    for _ in $(seq 100); do [ -S "$run/sluice.sock" ] && break; sleep 0.1; done
    [ -S "$run/sluice.sock" ] || { echo "run-local: sluice did not start:" >&2;
        tail "$run/sluice.log" >&2; exit 1; }

    setsid smtp-sink -u postfix -d "$run/sink/%Y%m%d%H%M%S." "127.0.0.1:$sink_port" 100 \
        </dev/null >>"$run/sink.log" 2>&1 &
    echo $! >"$run/sink.pid"

    private_postfix_start "$postfix_dir" "$run/postfix.log"

    cat <<TEXT
Sluice is running with a private Postfix on loopback.

  Postfix (SMTP):  127.0.0.1:$smtp_port  log: $run/postfix.log
  Sluice:          $run/sluice.sock   log: $run/sluice.log   config: $run/sluice.conf
                   audit trail: $run/audit.log (check it: sluice audit verify FILE)
  Sink (next hop): 127.0.0.1:$sink_port  one file per delivered message in $run/sink/

Send a test message:
  swaks --server 127.0.0.1:$smtp_port --from alice@example.com --to bob@example.net \\
        --header "Subject: hello" --body "A clean message."

A message with a resident id such as 11010519491231002X is quarantined by the default
policy; review it with
  $binary quarantine list --config $run/sluice.conf
  $binary status --config $run/sluice.conf

Block a keyword: add it to [detect] keywords in $run/sluice.conf, then
  kill -HUP \$(cat $run/sluice.pid)

Stop everything: make stop
TEXT
}

case "${1:-start}" in
start) start ;;
stop) stop; echo "stopped" ;;
*) echo "usage: $0 start|stop" >&2; exit 64 ;;
esac
