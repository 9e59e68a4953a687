#!/usr/bin/env bash
# Engine speed, in one run on one machine:
# - whole messages: `sluice scan` (parse, decode, extract, detect, decide) on large generated
#   messages against GMime parsing and decoding every part (bench/gmime-decode.c) and against
#   Python's email package doing the same;
# - detection: sluice-detect-bench (normalise, full pass, compile and cached load of 20,000
#   and 100,000 generated terms) against Hyperscan alone (bench/hyperscan-scan.c) and
#   `grep -F -f` with the same terms on the same text.
# Writes OUT/engine.json and OUT/engine.md. Run after `make release`; installs
# libgmime-3.0-dev when missing.
set -euo pipefail

top=$(cd "$(dirname "$0")/.." && pwd)
out=${OUT:-$top/bench/results}
work=$(mktemp -d /tmp/sluice-engine-XXXXXX)
trap 'rm -rf "$work"' EXIT
mkdir -p "$out"
if ! pkg-config --exists gmime-3.0; then
    DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends \
        libgmime-3.0-dev >/dev/null
fi
read -ra gmime_flags <<<"$(pkg-config --cflags --libs gmime-3.0)"
read -ra hyperscan_flags <<<"$(pkg-config --cflags --libs libhs)"
gcc -O2 -Wall -Werror -o "$work/gmime-decode" "$top/bench/gmime-decode.c" "${gmime_flags[@]}"
gcc -O2 -Wall -Wextra -Werror -o "$work/hyperscan-scan" "$top/bench/hyperscan-scan.c" \
    "${hyperscan_flags[@]}"
python3 "$top/bench/make-corpus.py" "$work/corpus" "${COUNT:-4}" "${SIZE_MB:-8}"
files=("$work"/corpus/*.eml)
bytes=$(cat "${files[@]}" | wc -c)

# Wall-clock MB/s of a command over the corpus.
measure() {
    local start end
    start=$(date +%s.%N)
    "$@" >/dev/null
    end=$(date +%s.%N)
    echo "$start $end $bytes" | awk '{ printf "%.1f\n", $3 / 1e6 / ($2 - $1) }'
}

sluice=$(measure "$top/.build/release/sluice" scan --json "${files[@]}")
gmime=$(measure "$work/gmime-decode" "${files[@]}")
python=$(measure python3 -c '
import email, email.policy, sys
for name in sys.argv[1:]:
    message = email.message_from_binary_file(open(name, "rb"), policy=email.policy.default)
    for part in message.walk():
        if not part.is_multipart():
            part.get_payload(decode=True)
' "${files[@]}")

"$top/.build/release/sluice-detect-bench" --dictionaries "$top/dictionaries" \
    --terms-out "$work/terms.txt" --text-out "$work/text.txt" >"$work/detect.json"
text_megabytes=$(wc -c <"$work/text.txt" | awk '{ print $1 / 1e6 }')

# CPU MB/s of grep -F -f (compile and scan) and of Hyperscan alone, per dictionary size.
grep_rates=()
hyperscan_rates=()
TIMEFORMAT='%U %S'
for terms in 20000 100000; do
    head -n "$terms" "$work/terms.txt" >"$work/terms-$terms.txt"
    # Not to /dev/null: GNU grep then stops at the first match.
    seconds=$({ time LC_ALL=C.UTF-8 grep -c -F -f "$work/terms-$terms.txt" "$work/text.txt" \
        >"$work/grep-count" || true; } 2>&1 | awk '{ print $1 + $2 }')
    grep_rates+=("\"$terms\": $(awk -v s="$seconds" -v m="$text_megabytes" \
        'BEGIN { printf "%.2f", m / s }')")
    hyperscan_rates+=("\"$terms\": $("$work/hyperscan-scan" "$work/terms-$terms.txt" \
        "$work/text.txt")")
done

join() {
    local IFS=,
    echo "$*"
}
cat >"$work/engine.json" <<JSON
{
  "corpus": "${#files[@]} messages, $((bytes / 1000000)) MB",
  "parse": {"sluice": $sluice, "gmime": $gmime, "python": $python},
  "detect": $(cat "$work/detect.json"),
  "grep": {$(join "${grep_rates[@]}")},
  "hyperscan": {$(join "${hyperscan_rates[@]}")}
}
JSON
python3 "$top/bench/report.py" engine "$out" "$work/engine.json"
cat "$out/engine.md"
