#!/usr/bin/env bash
# Engine speed on large messages, in one run on one machine: `sluice scan` (parse, decode,
# extract, detect, decide) against GMime parsing and decoding every part (bench/
# gmime-decode.c) and against Python's email package doing the same. Reports MB/s and
# ratios. Run after `make release`; installs libgmime-3.0-dev when missing.
set -euo pipefail

top=$(cd "$(dirname "$0")/.." && pwd)
work=$(mktemp -d /tmp/sluice-engine-XXXXXX)
trap 'rm -rf "$work"' EXIT
if ! pkg-config --exists gmime-3.0; then
    DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends \
        libgmime-3.0-dev >/dev/null
fi
gcc -O2 -Wall -Werror -o "$work/gmime-decode" "$top/bench/gmime-decode.c" \
    $(pkg-config --cflags --libs gmime-3.0)
python3 "$top/bench/make-corpus.py" "$work/corpus" "${COUNT:-4}" "${SIZE_MB:-8}"
files=("$work"/corpus/*.eml)
bytes=$(cat "${files[@]}" | wc -c)

measure() {
    local start end
    start=$(date +%s.%N)
    "$@" >/dev/null
    end=$(date +%s.%N)
    echo "$start $end $bytes" | awk '{ printf "%.1f\n", $3 / 1048576 / ($2 - $1) }'
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

printf '| engine | MB/s | Sluice ÷ engine |\n|---|---:|---:|\n'
for row in "sluice scan (whole inspection):$sluice" "GMime parse + decode:$gmime" \
    "Python email parse + decode:$python"; do
    name=${row%%:*}
    rate=${row##*:}
    printf '| %s | %s | %s |\n' "$name" "$rate" \
        "$(echo "$sluice $rate" | awk '{ printf "%.2f", $1 / $2 }')"
done
echo "corpus: ${#files[@]} messages, $((bytes / 1048576)) MB"
