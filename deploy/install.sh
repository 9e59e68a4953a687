#!/bin/sh
# install.sh: installs a built Sluice on a Debian host (or under DESTDIR, for testing and
# packaging): the sluice user and groups, its directories with their owners and modes, the
# binary, configuration, dictionaries, manual pages, bash completion, the systemd unit and
# the tmpfiles and logrotate entries. Safe to run again: an edited configuration is never
# replaced (the new one goes beside it as sluice.conf.new) and existing dictionaries are
# kept. Run as root from a checkout after "make release":
#
#   deploy/install.sh                   install on this host
#   DESTDIR=/tmp/root deploy/install.sh install under /tmp/root
#
# The sluice user and groups are created on the running host even with DESTDIR, because
# files are owned by them. Nothing is enabled or started: see docs/install.md.
set -eu

top=$(cd "$(dirname "$0")/.." && pwd)
DESTDIR=${DESTDIR:-}
BINARY=${SLUICE_BINARY:-$top/.build/release/sluice}
# The PDF reader process is built beside the binary.
PDF_READER=${SLUICE_PDF_READER:-$(dirname "$BINARY")/sluice-pdf}

say() {
    printf 'install: %s\n' "$*"
}

fail() {
    printf 'install: error: %s\n' "$*" >&2
    exit 1
}

# directory PATH MODE OWNER GROUP: creates PATH under DESTDIR, or corrects an existing
# one, with exactly this owner and mode.
directory() {
    install -d -m "$2" -o "$3" -g "$4" "$DESTDIR$1"
    # chmod keeps a directory's setgid bit unless the mode has five digits.
    chmod "0$2" "$DESTDIR$1"
}

# install_file SOURCE PATH MODE OWNER GROUP: installs SOURCE as PATH, replacing it.
install_file() {
    install -D -m "$3" -o "$4" -g "$5" "$1" "$DESTDIR$2"
}

# config_file SOURCE PATH MODE OWNER GROUP SUFFIX: installs SOURCE as PATH unless PATH
# exists with other content, in which case the new version goes to PATH.SUFFIX and the
# administrator is told to compare the two.
config_file() {
    target=$DESTDIR$2
    if [ ! -e "$target" ]; then
        install -D -m "$3" -o "$4" -g "$5" "$1" "$target"
        say "installed $2"
    elif cmp -s "$1" "$target"; then
        chown "$4:$5" "$target"
        chmod "$3" "$target"
        say "unchanged $2"
    else
        install -D -m "$3" -o "$4" -g "$5" "$1" "$target.$6"
        say "kept your $2; the shipped version is $2.$6: compare them"
    fi
}

check_prerequisites() {
    [ "$(id -u)" -eq 0 ] || fail "run as root (it creates a user and sets owners)"
    [ -x "$BINARY" ] || fail "$BINARY not built: run 'make release' first"
    [ -x "$PDF_READER" ] || fail "$PDF_READER not built: run 'make release' first"
    for tool in useradd groupadd usermod install cmp; do
        command -v "$tool" >/dev/null 2>&1 || fail "$tool not found"
    done
}

# The sluice system user and group; the sluice-review group whose members may read the
# quarantine (add reviewers with "adduser NAME sluice-review"); sluice joins group postfix
# so it can give its socket to Postfix.
create_accounts() {
    if ! getent group sluice >/dev/null; then
        groupadd --system sluice
        say "created group sluice"
    fi
    if ! getent passwd sluice >/dev/null; then
        useradd --system --gid sluice --home-dir /var/lib/sluice --no-create-home \
            --shell /usr/sbin/nologin --comment "Sluice mail filter" sluice
        say "created user sluice"
    fi
    if ! getent group sluice-review >/dev/null; then
        groupadd --system sluice-review
        say "created group sluice-review"
    fi
    getent group postfix >/dev/null || fail "group postfix missing: install postfix first"
    if ! id -nG sluice | tr ' ' '\n' | grep -qx postfix; then
        usermod -a -G postfix sluice
        say "added user sluice to group postfix"
    fi
}

# Keep in step with deploy/sluice.tmpfiles, which restores the same at boot.
create_directories() {
    directory /etc/sluice 0755 root root
    # setgid: dictionaries added later with "sluice dict" stay readable by the daemon.
    directory /etc/sluice/dictionaries 2750 root sluice
    directory /var/lib/sluice 0750 sluice sluice-review
    directory /var/lib/sluice/quarantine 2750 sluice sluice-review
    directory /var/lib/sluice/spool 0700 sluice sluice
    directory /var/lib/sluice/cache 0750 sluice sluice
    directory /var/log/sluice 2750 sluice adm
    directory /run/sluice 0755 sluice sluice
    [ -d "$DESTDIR/var/spool/postfix" ] || install -d -m 0755 "$DESTDIR/var/spool/postfix"
    directory /var/spool/postfix/sluice 0750 sluice postfix
    say "directories ready"
}

install_files() {
    install_file "$BINARY" /usr/local/sbin/sluice 0755 root root
    say "installed /usr/local/sbin/sluice"
    install_file "$PDF_READER" /usr/local/lib/sluice/sluice-pdf 0755 root root
    say "installed /usr/local/lib/sluice/sluice-pdf"

    # The configuration may name webhook tokens: readable by root and the daemon only.
    config_file "$top/deploy/sluice.conf" /etc/sluice/sluice.conf 0640 root sluice new

    for dictionary in "$top"/dictionaries/*.txt; do
        name=/etc/sluice/dictionaries/$(basename "$dictionary")
        if [ -e "$DESTDIR$name" ]; then
            say "kept $name"
        else
            install_file "$dictionary" "$name" 0640 root sluice
            say "installed $name"
        fi
    done

    install_file "$top/docs/man/sluice.8" /usr/local/share/man/man8/sluice.8 0644 root root
    install_file "$top/docs/man/sluice.conf.5" /usr/local/share/man/man5/sluice.conf.5 \
        0644 root root
    install_file "$top/deploy/sluice.bash-completion" \
        /usr/local/share/bash-completion/completions/sluice 0644 root root
    # Units and tmpfiles in /usr/local/lib: local changes belong in /etc ("systemctl edit
    # sluice", or a file of the same name in /etc/tmpfiles.d), which this never touches.
    install_file "$top/deploy/sluice.service" /usr/local/lib/systemd/system/sluice.service \
        0644 root root
    install_file "$top/deploy/sluice.tmpfiles" /usr/local/lib/tmpfiles.d/sluice.conf 0644 root root
    # logrotate reads every file in logrotate.d except a few suffixes such as .dpkg-dist.
    config_file "$top/deploy/sluice.logrotate" /etc/logrotate.d/sluice 0644 root root \
        dpkg-dist
    say "installed manual pages, bash completion, systemd unit, tmpfiles and logrotate entries"
}

# Only on the running host: let systemd see the new unit.
activate() {
    if [ -n "$DESTDIR" ] || [ ! -d /run/systemd/system ]; then
        return
    fi
    systemctl daemon-reload
    systemd-tmpfiles --create sluice.conf
}

check_prerequisites
create_accounts
create_directories
install_files
activate

cat <<TEXT
install: done. Next steps (docs/install.md has the details):
  1. Review /etc/sluice/sluice.conf ("sluice check-config" checks it).
  2. Add deploy/postfix-main.cf to /etc/postfix/main.cf and deploy/postfix-master.cf to
     /etc/postfix/master.cf.
  3. systemctl enable --now sluice && postfix reload
TEXT
