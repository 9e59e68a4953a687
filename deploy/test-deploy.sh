#!/usr/bin/env bash
# test-deploy.sh: checks what deploy/ ships, on this machine, as root. It installs Sluice
# into a scratch DESTDIR (three times: fresh, unchanged, with an edited configuration) and
# checks owners and modes; verifies the systemd unit, the tmpfiles and logrotate entries;
# renders both manual pages with warnings on and checks they cover every command and key;
# checks the bash completion; and applies postfix-main.cf and postfix-master.cf to a
# private Postfix, runs "postfix check", starts it and sends mail through both listeners,
# then once more with the installed Sluice running as user sluice in the chrooted layout.
# Prints one line per check and exits 1 if any failed.
#
# Environment: SLUICE_BINARY (default: the newer of .build/release/sluice and
# .build/debug/sluice), SLUICE_DEPLOY_TEST_DIR (default /tmp/sluice-deploy-test),
# SLUICE_DEPLOY_TEST_PORT (the private Postfix's SMTP port, default 2725; the next port is
# its relay sink, and 10026 moves to the one after when this machine already uses it).
set -uo pipefail

top=$(cd "$(dirname "$0")/.." && pwd)
. "$top/deploy/private-postfix.sh"
work=${SLUICE_DEPLOY_TEST_DIR:-/tmp/sluice-deploy-test}
root=$work/root
smtp_port=${SLUICE_DEPLOY_TEST_PORT:-2725}
sink_port=$((smtp_port + 1))
failures=0

ok() {
    printf 'test-deploy: ok: %s\n' "$*"
}

fail() {
    printf 'test-deploy: FAIL: %s\n' "$*" >&2
    failures=$((failures + 1))
}

skip() {
    printf 'test-deploy: skipped: %s\n' "$*"
}

have() {
    command -v "$1" >/dev/null 2>&1
}

find_binary() {
    if [ -n "${SLUICE_BINARY:-}" ]; then
        binary=$SLUICE_BINARY
    else
        # The newer build: "make test" builds debug, "make release" release.
        binary=$top/.build/debug/sluice
        if [ "$top/.build/release/sluice" -nt "$binary" ]; then
            binary=$top/.build/release/sluice
        fi
    fi
    if [ ! -x "$binary" ]; then
        echo "test-deploy: no sluice binary at $binary: run 'make release' first" >&2
        exit 1
    fi
}

check_scripts() {
    local script
    for script in install.sh test-deploy.sh run-local.sh private-postfix.sh \
        sluice.bash-completion; do
        if bash -n "$top/deploy/$script"; then
            ok "bash -n deploy/$script"
        else
            fail "deploy/$script: syntax error"
        fi
    done
    if have shellcheck; then
        if shellcheck -x "$top"/deploy/*.sh "$top"/bench/*.sh "$top/fuzz/run.sh" &&
            shellcheck -s bash "$top/deploy/sluice.bash-completion"; then
            ok "shellcheck"
        else
            fail "shellcheck found problems (above)"
        fi
    else
        skip "shellcheck not installed"
    fi
}

# expect_mode PATH MODE OWNER GROUP: PATH under the scratch root has exactly these.
expect_mode() {
    local got
    got=$(stat -c '%a %U %G' "$root$1" 2>/dev/null) || { fail "$1: missing"; return; }
    if [ "$got" = "$2 $3 $4" ]; then
        ok "$1 is $got"
    else
        fail "$1: got '$got', want '$2 $3 $4'"
    fi
}

check_install() {
    local log=$work/install.log
    rm -rf "$root"
    mkdir -p "$root"
    if ! DESTDIR=$root SLUICE_BINARY=$binary "$top/deploy/install.sh" >"$log" 2>&1; then
        fail "install.sh into $root failed:"
        cat "$log" >&2
        return
    fi
    ok "install.sh into a scratch DESTDIR"

    expect_mode /usr/local/sbin/sluice 755 root root
    expect_mode /usr/local/lib/sluice/sluice-pdf 755 root root
    expect_mode /etc/sluice 755 root root
    expect_mode /etc/sluice/sluice.conf 640 root sluice
    expect_mode /etc/sluice/dictionaries 2750 root sluice
    expect_mode /etc/sluice/dictionaries/confidential.txt 640 root sluice
    expect_mode /var/lib/sluice 750 sluice sluice-review
    expect_mode /var/lib/sluice/quarantine 2750 sluice sluice-review
    expect_mode /var/lib/sluice/spool 700 sluice sluice
    expect_mode /var/lib/sluice/cache 750 sluice sluice
    expect_mode /var/log/sluice 2750 sluice adm
    expect_mode /run/sluice 755 sluice sluice
    expect_mode /var/spool/postfix/sluice 750 sluice postfix
    expect_mode /usr/local/share/man/man8/sluice.8 644 root root
    expect_mode /usr/local/share/man/man5/sluice.conf.5 644 root root
    expect_mode /usr/local/share/bash-completion/completions/sluice 644 root root
    expect_mode /usr/local/lib/systemd/system/sluice.service 644 root root
    expect_mode /usr/local/lib/tmpfiles.d/sluice.conf 644 root root
    expect_mode /etc/logrotate.d/sluice 644 root root
    if id -nG sluice | tr ' ' '\n' | grep -qx postfix; then
        ok "user sluice is in group postfix"
    else
        fail "user sluice is not in group postfix"
    fi
    if cmp -s "$top/deploy/sluice.conf" "$root/etc/sluice/sluice.conf"; then
        ok "sluice.conf installed as shipped"
    else
        fail "installed sluice.conf differs from deploy/sluice.conf"
    fi
    if "$root/usr/local/sbin/sluice" check-config --config "$root/etc/sluice/sluice.conf" \
        --dictionaries "$root/etc/sluice/dictionaries" >/dev/null 2>"$work/check-config.err"
    then
        ok "installed configuration passes check-config"
    else
        fail "check-config on the installed configuration: $(cat "$work/check-config.err")"
    fi

    # Again: nothing changes, and no .new file appears.
    DESTDIR=$root SLUICE_BINARY=$binary "$top/deploy/install.sh" >"$log" 2>&1 ||
        fail "second install.sh run failed"
    if [ -e "$root/etc/sluice/sluice.conf.new" ] || ! grep -q "unchanged /etc/sluice" "$log"
    then
        fail "second run did not leave an unchanged sluice.conf alone"
    else
        ok "second run leaves an unchanged configuration alone"
    fi

    # An edited configuration and dictionary are kept; the shipped one goes beside them.
    echo "# edited" >>"$root/etc/sluice/sluice.conf"
    echo "edited term" >>"$root/etc/sluice/dictionaries/finance.txt"
    chmod 0700 "$root/var/lib/sluice/quarantine"
    DESTDIR=$root SLUICE_BINARY=$binary "$top/deploy/install.sh" >"$log" 2>&1 ||
        fail "third install.sh run failed"
    if tail -n 1 "$root/etc/sluice/sluice.conf" | grep -qx "# edited" &&
        cmp -s "$top/deploy/sluice.conf" "$root/etc/sluice/sluice.conf.new" &&
        grep -q "sluice.conf.new" "$log"; then
        ok "edited sluice.conf kept, shipped one installed as sluice.conf.new"
    else
        fail "edited sluice.conf not handled as expected (see $log)"
    fi
    if grep -qx "edited term" "$root/etc/sluice/dictionaries/finance.txt"; then
        ok "existing dictionary kept"
    else
        fail "install.sh replaced an existing dictionary"
    fi
    expect_mode /var/lib/sluice/quarantine 2750 sluice sluice-review
}

check_unit() {
    if ! have systemd-analyze; then
        skip "systemd-analyze not installed (Debian package systemd)"
        return
    fi
    # The unit as installed, pointing at the scratch root's binary and manual pages.
    mkdir -p "$work/unit"
    sed "s|/usr/local/sbin/sluice|$root/usr/local/sbin/sluice|g" \
        "$top/deploy/sluice.service" >"$work/unit/sluice.service"
    local output status=0
    output=$(MANPATH=$root/usr/local/share/man systemd-analyze verify \
        "$work/unit/sluice.service" 2>&1) || status=$?
    if [ "$status" -eq 0 ] && [ -z "$output" ]; then
        ok "systemd-analyze verify sluice.service"
    else
        fail "systemd-analyze verify sluice.service: $output"
    fi
}

check_tmpfiles() {
    if ! have systemd-tmpfiles; then
        skip "systemd-tmpfiles not installed (Debian package systemd)"
        return
    fi
    local tmp_root=$work/tmpfiles-root
    rm -rf "$tmp_root"
    mkdir -p "$tmp_root/var/spool/postfix" "$tmp_root/run" "$tmp_root/etc"
    # With --root, users and groups are looked up in the root's own files.
    cp /etc/passwd /etc/group "$tmp_root/etc/"
    if systemd-tmpfiles --create --root="$tmp_root" "$top/deploy/sluice.tmpfiles" \
        2>"$work/tmpfiles.err"; then
        ok "systemd-tmpfiles --create sluice.tmpfiles"
    else
        fail "systemd-tmpfiles: $(cat "$work/tmpfiles.err")"
        return
    fi
    # Same owners and modes as install.sh gives.
    local saved_root=$root path mode owner group
    root=$tmp_root
    for path in /run/sluice /var/spool/postfix/sluice /var/lib/sluice \
        /var/lib/sluice/quarantine /var/lib/sluice/spool /var/lib/sluice/cache \
        /var/log/sluice; do
        read -r mode owner group < <(stat -c '%a %U %G' "$saved_root$path")
        expect_mode "$path" "$mode" "$owner" "$group"
    done
    root=$saved_root
}

check_logrotate() {
    if ! have logrotate; then
        skip "logrotate not installed (Debian package logrotate)"
        return
    fi
    if grep -q '^[^#]*copytruncate' "$top/deploy/sluice.logrotate"; then
        fail "sluice.logrotate uses copytruncate"
    fi
    # Rotate a scratch audit log for real; postrotate finds no running sluice.service.
    local dir=$work/logrotate
    rm -rf "$dir"
    mkdir -p "$dir"
    sed "s|/var/log/sluice/audit.log|$dir/audit.log|" "$top/deploy/sluice.logrotate" \
        >"$dir/sluice.logrotate"
    echo '{"record":1}' >"$dir/audit.log"
    if logrotate --force --state "$dir/state" "$dir/sluice.logrotate" 2>"$dir/err" &&
        [ -s "$dir/audit.log.1" ] && [ ! -e "$dir/audit.log" ]; then
        ok "logrotate moves audit.log aside and leaves the new file to the daemon"
    else
        fail "logrotate: $(cat "$dir/err")"
    fi
}

check_manual_pages() {
    local page errors
    if ! have man; then
        skip "man not installed (Debian packages man-db, groff-base)"
        return
    fi
    for page in sluice.8 sluice.conf.5; do
        errors=$(MANWIDTH=80 man --warnings -l "$top/docs/man/$page" 2>&1 >/dev/null)
        if [ -z "$errors" ]; then
            ok "man --warnings -l docs/man/$page"
        else
            fail "docs/man/$page: $errors"
        fi
    done

    # Every command "sluice --help" lists has its section in sluice(8).
    local command
    for command in $("$binary" --help | awk '/^Commands:/ { on = 1; next }
        /^$/ { if (on && seen) exit; next } on { seen = 1; print $1 }'); do
        grep -qF ".SS \"sluice ${command//-/\\-}" "$top/docs/man/sluice.8" ||
            fail "sluice(8) does not document 'sluice $command'"
    done
    ok "sluice(8) has a section for every command of 'sluice --help'"

    # Every key of deploy/sluice.conf (outside groups, webhooks and rules) is in
    # sluice.conf(5).
    local missing
    missing=$(awk '/^#?\[/ { section = $0; sub(/^#?\[/, "", section); sub(/\].*/, "", section);
            next }
        section ~ /^(groups|webhook |rule )/ { next }
        /^#?[a-z_]+ = / || /^#?[a-z_]+ =$/ { key = $1; sub(/^#/, "", key); print key }' \
        "$top/deploy/sluice.conf" | sort -u | while read -r key; do
        grep -q "^\.B $key =" "$top/docs/man/sluice.conf.5" || echo "$key"
    done)
    if [ -z "$missing" ]; then
        ok "sluice.conf(5) documents every key of deploy/sluice.conf"
    else
        fail "sluice.conf(5) lacks keys: $(echo "$missing" | tr '\n' ' ')"
    fi
}

check_completion() {
    local result
    result=$(bash -c '
        [ -f /usr/share/bash-completion/bash_completion ] &&
            . /usr/share/bash-completion/bash_completion
        . "$1"
        COMP_WORDS=(sluice ""); COMP_CWORD=1; COMP_LINE="sluice "; COMP_POINT=7
        _sluice; echo "${COMPREPLY[*]}"
        COMP_WORDS=(sluice quarantine ""); COMP_CWORD=2
        _sluice; echo "${COMPREPLY[*]}"' _ "$top/deploy/sluice.bash-completion" 2>&1)
    local command missing=""
    for command in $("$binary" --help | awk '/^Commands:/ { on = 1; next }
        /^$/ { if (on && seen) exit; next } on { seen = 1; print $1 }') quarantine; do
        grep -qw -- "$command" <<<"$(head -n 1 <<<"$result")" || missing+=" $command"
    done
    if [ -z "$missing" ] && grep -q "release" <<<"$result"; then
        ok "bash completion offers every command and the quarantine subcommands"
    else
        fail "bash completion: missing$missing (got: $result)"
    fi
}

stop_postfix() {
    if [ -f "$work/sluice.pid" ]; then
        kill "$(cat "$work/sluice.pid")" 2>/dev/null || true
        rm -f "$work/sluice.pid"
    fi
    private_postfix_stop "$work/postfix"
    if [ -f "$work/sink.pid" ]; then
        kill "$(cat "$work/sink.pid")" 2>/dev/null || true
        rm -f "$work/sink.pid"
    fi
}

# wait_for_delivery COUNT: waits up to 20s for COUNT messages in the sink.
wait_for_delivery() {
    local _
    for _ in $(seq 200); do
        [ "$(find "$work/sink" -type f | wc -l)" -ge "$1" ] && return 0
        sleep 0.1
    done
    return 1
}

check_postfix() {
    if ! have postfix || ! have postconf; then
        skip "postfix not installed"
        return
    fi
    local dir=$work/postfix etc=$work/postfix/etc line
    stop_postfix
    rm -rf "$dir" "$work/sink" "$work/postfix.log"
    mkdir -p "$work/sink"
    chmod 755 "$work"
    chown postfix "$work/sink"
    private_postfix_write "$dir" "$smtp_port" "$sink_port" "" "$work"

    # The snippets, applied the way docs/install.md says.
    while IFS= read -r line; do
        case $line in '' | '#'*) continue ;; esac
        postconf -c "$etc" -e "$line"
    done <"$top/deploy/postfix-main.cf"
    cat "$top/deploy/postfix-master.cf" >>"$etc/master.cf"
    # The re-injection port is fixed in the snippet; move it if this machine uses it.
    local reinject=10026
    if ss -ltn 2>/dev/null | awk '{ print $4 }' | grep -q ":10026\$"; then
        reinject=$((smtp_port + 2))
        sed -i "s/^127.0.0.1:10026 /127.0.0.1:$reinject /" "$etc/master.cf"
    fi

    if postfix -c "$etc" check 2>"$work/postfix-check.err" && [ ! -s "$work/postfix-check.err" ]
    then
        ok "postfix check with postfix-main.cf and postfix-master.cf applied"
    else
        fail "postfix check: $(cat "$work/postfix-check.err")"
        return
    fi
    local warnings
    warnings=$(postconf -c "$etc" -n 2>&1 >/dev/null; postconf -c "$etc" -M 2>&1 >/dev/null)
    if [ -z "$warnings" ]; then
        ok "postconf reads both snippets without warnings"
    else
        fail "postconf warnings: $warnings"
    fi
    if postconf -c "$etc" -P "127.0.0.1:$reinject/inet/smtpd_milters" | grep -q "= *$"; then
        ok "re-injection listener has no milters"
    else
        fail "re-injection listener keeps smtpd_milters"
    fi

    if ! have swaks || ! have smtp-sink; then
        skip "sending mail: swaks or smtp-sink missing"
        return
    fi
    setsid smtp-sink -u postfix -d "$work/sink/%Y%m%d%H%M%S." "127.0.0.1:$sink_port" 100 \
        </dev/null >>"$work/sink.log" 2>&1 &
    echo $! >"$work/sink.pid"
    if ! private_postfix_start "$dir" "$work/postfix.log" >/dev/null; then
        fail "private postfix with the snippets did not start"
        stop_postfix
        return
    fi
    # No Sluice listens on the socket main.cf names yet: the main listener must defer (the
    # milter_default_action), the re-injection listener must deliver.
    local reply
    reply=$(swaks --server "127.0.0.1:$smtp_port" --from alice@example.com \
        --to bob@example.net --body "test" 2>&1)
    if grep -q "^<\*\* *4[0-9][0-9]" <<<"$reply"; then
        ok "main listener tempfails while Sluice is unreachable"
    else
        fail "main listener did not tempfail without Sluice: $(grep '<' <<<"$reply" | tail -3)"
    fi
    if swaks --server "127.0.0.1:$reinject" --from sluice@localhost --to bob@example.net \
        --body "released" >"$work/swaks.log" 2>&1 && wait_for_delivery 1; then
        ok "re-injection listener delivers without consulting any milter"
    else
        fail "re-injection listener did not deliver (see $work/swaks.log, $work/postfix.log)"
    fi
    check_filtering
    stop_postfix
}

# The installed binary and configuration, run as user sluice with the chrooted layout:
# the socket in the private Postfix's queue directory, named unix:/sluice/sluice.sock by
# the chrooted main listener. A blocked keyword must be refused, a clean message delivered.
check_filtering() {
    local dir=$work/postfix config=$work/sluice.conf _
    install -d -m 0750 -o sluice -g postfix "$dir/queue/sluice"
    sed -e "s|/var/lib/sluice|$root/var/lib/sluice|" -e "s|/var/log/sluice|$root/var/log/sluice|" \
        -e "s|/run/sluice|$root/run/sluice|" -e "s|/etc/sluice|$root/etc/sluice|" \
        -e "s|^socket = .*|socket = unix:$dir/queue/sluice/sluice.sock|" \
        -e "s|^#socket_group = postfix|socket_group = postfix|" \
        -e "s|^target = syslog|target = stderr|" \
        -e "s|^keywords =\$|keywords = sluice-deploy-test-secret|" \
        "$root/etc/sluice/sluice.conf" >"$config"
    chmod 0644 "$config"
    sed -i "s/^\(127.0.0.1:$smtp_port inet *n *- *\)n/\1y/" "$dir/etc/master.cf"
    # A restart, not a reload: an idle smtpd of the unchrooted setup could otherwise take
    # the next connection and look for the socket outside the chroot.
    postfix -c "$dir/etc" stop >/dev/null 2>&1 || true
    postfix -c "$dir/etc" start >/dev/null 2>&1

    setsid setpriv --reuid=sluice --regid=sluice --init-groups \
        "$root/usr/local/sbin/sluice" milter --foreground --config "$config" \
        </dev/null >"$work/sluice.log" 2>&1 &
    echo $! >"$work/sluice.pid"
    for _ in $(seq 100); do
        [ -S "$dir/queue/sluice/sluice.sock" ] && break
        sleep 0.1
    done
    if [ ! -S "$dir/queue/sluice/sluice.sock" ]; then
        fail "installed sluice did not start as user sluice: $(tail -3 "$work/sluice.log")"
        return
    fi
    local socket
    socket=$(stat -c '%a %U %G' "$dir/queue/sluice/sluice.sock")
    [ "$socket" = "660 sluice postfix" ] || fail "milter socket is '$socket'"

    local reply
    reply=$(swaks --server "127.0.0.1:$smtp_port" --from alice@example.com \
        --to bob@example.net --body "this carries sluice-deploy-test-secret" 2>&1)
    if grep -q "^<\*\* *5[0-9][0-9]" <<<"$reply"; then
        ok "chrooted Postfix with the installed Sluice refuses a blocked keyword"
    else
        fail "blocked keyword not refused: $(grep '<' <<<"$reply" | tail -3)"
    fi
    if swaks --server "127.0.0.1:$smtp_port" --from alice@example.com --to bob@example.net \
        --body "A clean message." >"$work/swaks.log" 2>&1 && wait_for_delivery 2; then
        ok "chrooted Postfix with the installed Sluice delivers a clean message"
    else
        fail "clean message not delivered (see $work/swaks.log, $work/sluice.log)"
    fi
}

main() {
    if [ "$(id -u)" -ne 0 ]; then
        echo "test-deploy: run as root (it creates the sluice user and a Postfix)" >&2
        exit 1
    fi
    find_binary
    mkdir -p "$work"
    trap stop_postfix EXIT
    check_scripts
    check_install
    check_unit
    check_tmpfiles
    check_logrotate
    check_manual_pages
    check_completion
    check_postfix
    if [ "$failures" -gt 0 ]; then
        echo "test-deploy: $failures check(s) failed" >&2
        exit 1
    fi
    echo "test-deploy: all checks passed"
}

main "$@"
