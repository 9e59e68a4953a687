#!/usr/bin/env bash
# Builds the libFuzzer harnesses and runs each (FUZZ_TARGETS, default all four) for
# FUZZ_SECONDS (default 120) from seed
# corpora made here: the shipped configuration, generated test messages, a small docx and
# RTF, and HTML. Crashes are kept in fuzz/crashes/ and make the run fail; each one found
# becomes a regression test.
set -euo pipefail

top=$(cd "$(dirname "$0")/.." && pwd)
seconds=${FUZZ_SECONDS:-120}
corpus=$top/fuzz/.corpus
crashes=$top/fuzz/crashes
mkdir -p "$crashes"
swift build --package-path "$top/fuzz" --sanitize=fuzzer -c debug

seed() {
    local target=$1
    mkdir -p "$corpus/$target"
    case $target in
    FuzzConfig)
        cp "$top/deploy/sluice.conf" "$corpus/$target/shipped.conf" ;;
    FuzzMIME)
        for name in gbk-body nested-zip-id renamed-exe clean; do
            python3 "$top/Tests/SluiceScanTests/make_message.py" "$name" \
                >"$corpus/$target/$name.eml"
        done ;;
    FuzzHTML)
        printf '%s' '<p>机<b>密</b> &amp; &#26426;&#23494; <a href="http://x">y</a>' \
            '<script>z</script><!-- c --><img alt="t"></p>' >"$corpus/$target/seed.html" ;;
    FuzzExtract)
        python3 - "$corpus/$target" <<'PY'
import io, sys, zipfile
out = sys.argv[1]
buffer = io.BytesIO()
with zipfile.ZipFile(buffer, "w") as z:
    z.writestr("[Content_Types].xml", "<Types/>")
    z.writestr("word/document.xml",
               "<w:document><w:body><w:p><w:r><w:t>机</w:t></w:r><w:r><w:t>密</w:t></w:r>"
               "</w:p></w:body></w:document>")
open(out + "/docx", "wb").write(b"\x00" + buffer.getvalue())
open(out + "/rtf", "wb").write(b"\x04" + rb"{\rtf1\ansi\ansicpg936 {\f0 \'bb\'fa\'c3\'dc}\u26426?}")
PY
        ;;
    esac
}

# libFuzzer, not the Swift runtime's backtracer, must see a trap, so it saves the input.
export SWIFT_BACKTRACE=enable=no
status=0
for target in ${FUZZ_TARGETS:-FuzzMIME FuzzConfig FuzzHTML FuzzExtract}; do
    seed "$target"
    echo "== $target for ${seconds}s"
    if ! "$top/fuzz/.build/debug/$target" -max_total_time="$seconds" -rss_limit_mb=4096 \
        -max_len=262144 -artifact_prefix="$crashes/$target-" "$corpus/$target" \
        2>"$corpus/$target.log"; then
        echo "$target: crash, see $crashes" >&2
        tail -30 "$corpus/$target.log" >&2
        status=1
    fi
    grep -E "^Done" "$corpus/$target.log" || true
done
exit $status
