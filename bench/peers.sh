# shellcheck shell=bash
# Peer mail filters for the mail-path benchmark: rspamd (rspamd_proxy in milter mode with
# self_scan) and MIMEDefang (mimedefang + mimedefang-multiplexor), each configured with a
# policy as close as the peer allows to Sluice's default one, so that Sluice can be compared
# with them on the same corpus through the same private Postfix:
#   1. reject (5xx) a message with an executable attachment (exe, dll, bat, cmd, com, scr,
#      msi, js, vbs, ps1, jar), by file name, and for rspamd also by detected content type;
#   2. reject (5xx) a message whose subject or decoded text parts contain a keyword: the
#      built-in list below plus the lines of the file named by $PEER_KEYWORDS, if set. For
#      MIMEDefang only with PEER_MD_KEYWORDS=1: a Perl alternation of 20,000 CJK terms takes
#      about 2 s per 20 KB message on this machine kind, which would make its row run for
#      hours, so by default it matches the built-in list alone (and does less work).
# Everything a peer writes lives under its WORKDIR; nothing under /etc is edited.
#
# Source this file (set -euo pipefail is fine) and run the functions as root:
#   peer_install                   install rspamd and mimedefang if missing, and keep their
#                                  own system services stopped
#   peer_start NAME WORKDIR        NAME is rspamd or mimedefang: configure and start it, wait
#                                  until it is ready, print its milter address (unix:PATH)
#   peer_cpu NAME WORKDIR          CPU seconds (user+system) used so far by all its processes
#   peer_stop NAME WORKDIR         stop it and every process it started
# WORKDIR must be searchable by the postfix user (mode 755, as mktemp -d plus chmod 755).
# Environment: PEER_KEYWORDS (extra keyword file, one UTF-8 keyword a line), PEER_MD_KEYWORDS
# (1: give MIMEDefang the extra keywords too), PEER_WORKERS
# (rspamd proxy processes, default: number of CPUs), PEER_MD_WORKERS (most MIMEDefang Perl
# workers, default 10 as in Debian's init script).

peer_builtin_keywords=(
    '机密' '绝密' '内部资料' '商业秘密' '不得外传' '严禁外传' 'strictly confidential'
    'internal use only' 'trade secret' 'project nightingale' '绝密文件'
)
peer_bad_extensions=(exe dll bat cmd com scr msi js vbs ps1 jar)
peer_reject_text='Message refused by the data protection policy'

# peer_install: installs the packages when missing; stops and disables their services.
peer_install() {
    local missing=() pkg
    # Debian's mimedefang.pl loads Net::DNS without the package depending on it.
    for pkg in rspamd mimedefang libnet-dns-perl; do
        dpkg-query -W -f='${Status}' "$pkg" 2>/dev/null | grep -q 'ok installed' ||
            missing+=("$pkg")
    done
    if [ ${#missing[@]} -gt 0 ]; then
        apt-get update -qq &&
            DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends \
                "${missing[@]}" >/dev/null || return 1
    fi
    for pkg in rspamd mimedefang mimedefang-multiplexor; do
        if [ -d /run/systemd/system ]; then
            if systemctl -q is-enabled "$pkg" 2>/dev/null; then
                systemctl disable --now "$pkg" >/dev/null 2>&1 || true
            fi
        elif compgen -G "/etc/rc[2-5].d/S??$pkg" >/dev/null; then
            update-rc.d "$pkg" disable >/dev/null 2>&1 || true
        fi
    done
    _peer_stop_system_services
}

# The packages' own daemons, found by the pid files of their init scripts (the package may
# have started them; policy-rc.d usually prevents it in containers).
_peer_stop_system_services() {
    local svc pidfile pids
    for svc in rspamd:/run/rspamd/rspamd.pid \
        mimedefang:/run/mimedefang.pid mimedefang:/run/mimedefang-multiplexor.pid; do
        pidfile=${svc#*:}
        [ -s "$pidfile" ] || continue
        pids=$(_peer_tree "$(cat "$pidfile")")
        [ -n "$pids" ] || continue
        service "${svc%%:*}" stop >/dev/null 2>&1 || true
        _peer_kill_wait "$pids"
    done
}

# _peer_tree PID...: prints the live PIDs given and all their descendants, one a line.
_peer_tree() {
    local stat rest pid ppid
    local -A children=()
    for stat in /proc/[0-9]*/stat; do
        rest=$(cat "$stat" 2>/dev/null) || continue
        pid=${rest%% *}
        rest=${rest##*) }            # the command name may hold spaces and parentheses
        ppid=${rest#* }
        ppid=${ppid%% *}
        children[$ppid]+=" $pid"
    done
    local queue=("$@") seen=" "
    while [ ${#queue[@]} -gt 0 ]; do
        pid=${queue[0]}
        queue=("${queue[@]:1}")
        if ! [[ $pid =~ ^[0-9]+$ ]] || [ ! -d "/proc/$pid" ] || [[ $seen == *" $pid "* ]]
        then
            continue
        fi
        seen+="$pid "
        echo "$pid"
        # shellcheck disable=SC2206 # the list is PIDs separated by spaces
        queue+=(${children[$pid]:-})
    done
}

# _peer_kill_wait PIDS: SIGTERM, up to 10 s for them to end, then SIGKILL what is left.
_peer_kill_wait() {
    local pids=$1 pid alive i
    [ -n "$pids" ] || return 0
    # shellcheck disable=SC2086 # PIDs separated by white space
    kill -TERM $pids 2>/dev/null || true
    for i in $(seq 100); do
        alive=
        for pid in $pids; do [ -d "/proc/$pid" ] && alive+=" $pid"; done
        [ -z "$alive" ] && return 0
        [ "$i" = 100 ] || sleep 0.1
    done
    # shellcheck disable=SC2086
    kill -KILL $alive 2>/dev/null || true
}

# _peer_pids NAME WORKDIR: the peer's long-lived parent processes, from its pid files.
_peer_pids() {
    local name=$1 d=$2/$1 f
    case $name in
        rspamd) set -- "$d/rspamd.pid" ;;
        mimedefang) set -- "$d/multiplexor.pid" "$d/mimedefang.pid" ;;
        *) echo "peers: unknown peer '$name' (rspamd or mimedefang)" >&2; return 1 ;;
    esac
    for f in "$@"; do
        [ -s "$f" ] && tr -dc '0-9\n' <"$f"
    done
    return 0
}

# _peer_keywords FILE NAME: the keyword list, one a line, no blank lines nor carriage returns.
_peer_keywords() {
    local extra=${PEER_KEYWORDS:-}
    # MIMEDefang takes the extra keywords only when asked (see the top of this file).
    if [ "$2" = mimedefang ] && [ -z "${PEER_MD_KEYWORDS:-}" ]; then extra=; fi
    {
        printf '%s\n' "${peer_builtin_keywords[@]}"
        if [ -n "$extra" ]; then cat "$extra"; fi
    } | tr -d '\r' | grep -v '^[[:space:]]*$' >"$1"
}

# peer_start NAME WORKDIR: prints the milter address once the filter answers.
peer_start() {
    local name=$1 workdir=$2
    _peer_pids "$name" "$workdir" >/dev/null || return 1
    peer_stop "$name" "$workdir" || return 1
    mkdir -p "$workdir" && rm -rf "${workdir:?}/$name" && mkdir -m 755 "$workdir/$name" &&
        _peer_keywords "$workdir/$name/keywords.txt" "$name" || return 1
    if ! "_peer_start_$name" "$workdir/$name"; then
        peer_stop "$name" "$workdir"
        return 1
    fi
    # CPU spent starting up (loading the lists), for callers that want to subtract it.
    peer_cpu "$name" "$workdir" >"$workdir/$name/startup-cpu"
    echo "unix:$workdir/$name/$name.sock"
}

_peer_start_rspamd() {
    local d=$1 workers=${PEER_WORKERS:-$(nproc)} ext var vars=()
    # Compiled hyperscan databases (top-level domains, keywords) take rspamd half a minute
    # of CPU to build: they are kept in WORKDIR across restarts.
    local hs=${d%/*}/rspamd-hs-cache
    mkdir -p "$hs" && chown _rspamd:_rspamd "$hs" && mkdir -m 700 "$d/tmp" || return 1
    # Keywords as a regexp map: literal, case-insensitive, any run of white space matching
    # a space; hyperscan compiles the whole map into one database. "#" would start a
    # comment in a map file, white space would end the key.
    perl -ne 'chomp; s/^\s+|\s+$//g; s/([^\w\s\x80-\xff])/\\$1/g; s/\\#/\\x23/g;
        s/\s+/\\s+/g; print "/$_/i\n"' "$d/keywords.txt" >"$d/keywords.map"
    # The content types map shipped with the package (the module needs one).
    cp /etc/rspamd/maps.d/mime_types.inc "$d/mime_types.inc"
    local bad=""
    for ext in "${peer_bad_extensions[@]}"; do bad+="$ext = 1; "; done
    cat >"$d/rspamd.conf" <<CONF
# rspamd configuration written by bench/peers.sh: only the modules the policy needs.
options {
    pidfile = "$d/rspamd.pid";
    cache_file = "$d/symbols.cache";
    dynamic_conf = "$d/dynamic.conf";
    history_file = "$d/history";
    stats_file = "$d/stats.ucl";
    control_socket = "$d/control.sock mode=0600";
    hs_cache_dir = "$hs";
    tempdir = "$d/tmp";
    url_tld = "/usr/share/rspamd/effective_tld_names.dat";
    explicit_modules = [];
    check_all_filters = false;
    task_timeout = 30s;
    dns { nameserver = ["127.0.0.1:53"]; timeout = 1s; retransmits = 1; }
}
logging {
    type = "file";
    filename = "$d/rspamd.log";
    level = "notice";
}
worker "rspamd_proxy" {
    bind_socket = "$d/rspamd.sock mode=0666";
    milter = yes;
    timeout = 120s;
    upstream "local" {
        default = yes;
        self_scan = yes;
    }
    count = $workers;
    max_retries = 1;
    discard_on_reject = false;
    quarantine_on_reject = false;
    reject_message = "$peer_reject_text";
}
modules {
    path = "/usr/share/rspamd/plugins";
}
# The globals the plugins expect, without the stock rules (rules/rspamd.lua) of a spam filter.
lua = "$d/rspamd.lua";
# Internal (C) modules are on unless configured off; the Lua ones only when configured.
chartable { enabled = false; }
dkim { enabled = false; }
fuzzy_check { enabled = false; }
regexp { enabled = false; }
actions {
    reject = 50;
    "add header" = null;
    "rewrite subject" = null;
    greylist = null;
}
mime_types {
    file = "$d/mime_types.inc";
    bad_extensions = { $bad}
    bad_archive_extensions = { }
}
multimap {
    DLP_KEYWORD_TEXT {
        type = "content";
        filter = "text";
        regexp = true;
        map = "$d/keywords.map";
        score = 100.0;
        description = "Keyword in a decoded text part";
    }
    DLP_KEYWORD_SUBJECT {
        type = "header";
        header = "Subject";
        regexp = true;
        map = "$d/keywords.map";
        score = 100.0;
        description = "Keyword in the subject";
    }
}
group "mime_types" {
    symbols {
        MIME_BAD_EXTENSION { weight = 100.0; }
        MIME_DOUBLE_BAD_EXTENSION { weight = 100.0; }
    }
}
CONF
    echo 'require "global_functions" ()' >"$d/rspamd.lua"
    chown -R _rspamd:_rspamd "$d"
    # rspamd daemonizes; its own default paths are pointed into the work folder too.
    for var in CONFDIR LOCAL_CONFDIR DBDIR RUNDIR LOGDIR; do vars+=("--var=$var=$d"); done
    rspamd -c "$d/rspamd.conf" -u _rspamd -g _rspamd -p "$d/rspamd.pid" "${vars[@]}" \
        </dev/null >>"$d/rspamd.out" 2>&1 || { cat "$d/rspamd.out" >&2; return 1; }
    # The main process and its proxies.
    _peer_wait rspamd "$d" $((workers + 1))
}

_peer_start_mimedefang() {
    local d=$1 max=${PEER_MD_WORKERS:-10}
    mkdir -m 700 "$d/spool"
    local exts
    exts=$(IFS='|'; echo "${peer_bad_extensions[*]}")
    cat >"$d/filter.pl" <<FILTER
# MIMEDefang filter written by bench/peers.sh: executable attachments and keywords are
# refused with a 5xx reply.
use Encode ();

\$BadFileNameRe = '\\.($exts)\\.*\$';
\$RejectText = '$peer_reject_text';

# Keywords: one alternation of literals (Perl compiles it to a trie), case-insensitive for
# ASCII, any run of white space matching a space.
{
    my @keywords;
    open(my \$in, '<', '$d/keywords.txt') or die "keywords: \$!";
    while (my \$line = <\$in>) {
        chomp \$line;
        \$line =~ s/^\\s+|\\s+\$//g;
        next if \$line eq '';
        push @keywords, join('\\s+', map { quotemeta } split(/\\s+/, \$line));
    }
    close(\$in);
    my \$alternation = join('|', @keywords);
    \$KeywordRe = qr/\$alternation/i;
}

sub filter_bad_filename {
    my(\$entity) = @_;
    return re_match(\$entity, \$BadFileNameRe);
}

# Text in UTF-8, whatever the part's charset.
sub utf8_text {
    my(\$text, \$charset) = @_;
    \$charset = lc(\$charset // '');
    return \$text if \$charset eq '' || \$charset =~ /^(utf-?8|us-ascii|ascii)\$/;
    my \$encoding = Encode::find_encoding(\$charset);
    return \$text unless \$encoding;
    return Encode::encode_utf8(\$encoding->decode(\$text));
}

sub filter_begin {
    my(\$entity) = @_;
    my \$subject = \$entity->head->get('Subject') // '';
    \$subject = Encode::encode_utf8(Encode::decode('MIME-Header', \$subject));
    return action_bounce("\$RejectText") if \$subject =~ \$KeywordRe;
}

sub filter {
    my(\$entity, \$fname, \$ext, \$type) = @_;
    return if message_rejected();
    return action_bounce("\$RejectText") if filter_bad_filename(\$entity);
    if (lc(\$type) =~ m{^text/}) {
        my \$body = \$entity->bodyhandle;
        if (defined(\$body)) {
            my \$text = utf8_text(\$body->as_string,
                \$entity->head->mime_attr('content-type.charset'));
            return action_bounce("\$RejectText") if \$text =~ \$KeywordRe;
        }
    }
    return action_accept();
}

sub filter_multipart {
    my(\$entity, \$fname, \$ext, \$type) = @_;
    return if message_rejected();
    return action_bounce("\$RejectText") if filter_bad_filename(\$entity);
    return action_accept();
}

sub filter_end {
    my(\$entity) = @_;
}

1;
FILTER
    chown -R defang:defang "$d"
    chmod 755 "$d"
    # Embedded Perl (-E), as Debian's init script does; requests queue (-q) rather than
    # being refused when all workers are busy.
    if ! mimedefang.pl -f "$d/filter.pl" -test >"$d/mimedefang.out" 2>&1; then
        cat "$d/mimedefang.out" >&2
        return 1
    fi
    mimedefang-multiplexor -U defang -E -m 2 -x "$max" -q 100 -Q 30 -z "$d/spool" \
        -s "$d/spool/mx.sock" -F "$d/filter.pl" -p "$d/multiplexor.pid" \
        -o "$d/multiplexor.lock" </dev/null >>"$d/mimedefang.out" 2>&1 || return 1
    # The milter needs the multiplexor to answer: wait for an idle worker.
    local i
    for i in $(seq 300); do
        [[ $(md-mx-ctrl -s "$d/spool/mx.sock" rawstatus 2>/dev/null) == *I*' '* ]] && break
        if [ "$i" = 300 ]; then
            echo "peers: mimedefang-multiplexor did not start" >&2
            return 1
        fi
        sleep 0.1
    done
    mimedefang -U defang -q -X -z "$d/spool" -m "$d/spool/mx.sock" \
        -p "unix:$d/mimedefang.sock" -P "$d/mimedefang.pid" -o "$d/mimedefang.lock" \
        </dev/null >>"$d/mimedefang.out" 2>&1 || return 1
    # The multiplexor with its two idle workers, and the milter.
    _peer_wait mimedefang "$d" 4
}

# _peer_wait NAME DIR PROCESSES: waits (60 s at most) for the milter socket, which it makes
# world-writable, for the peer to run at least PROCESSES processes, and for them to have
# finished loading (two readings of their CPU time 0.3 s apart are equal): rspamd's proxies,
# for one, load and compile the maps after the socket is bound.
_peer_wait() {
    local name=$1 d=$2 processes=$3 workdir=${2%/*} i before=-1 now roots
    for i in $(seq 200); do
        if [ -S "$d/$name.sock" ]; then
            chmod 666 "$d/$name.sock"
            roots=$(_peer_pids "$name" "$workdir")
            # shellcheck disable=SC2086 # PIDs separated by white space
            if [ "$(_peer_tree $roots | wc -l)" -ge "$processes" ]; then
                now=$(peer_cpu "$name" "$workdir")
                [ "$now" = "$before" ] && return 0
                before=$now
            fi
        fi
        sleep 0.3
    done
    echo "peers: $name did not become ready; see $d" >&2
    return 1
}

# peer_stop NAME WORKDIR: stops the peer and all its processes; quiet if not running.
peer_stop() {
    local name=$1 workdir=$2 roots pids
    roots=$(_peer_pids "$name" "$workdir") || return 1
    [ -n "$roots" ] || return 0
    # shellcheck disable=SC2086 # PIDs separated by white space
    pids=$(_peer_tree $roots)
    _peer_kill_wait "$pids"
    rm -f "$workdir/$name/"*.pid "$workdir/$name/$name.sock"
}

# peer_cpu NAME WORKDIR: user+system CPU seconds of the peer's processes, with the children
# they have reaped (cutime+cstime).
peer_cpu() {
    local name=$1 workdir=$2 roots pid stat ticks=0 fields
    roots=$(_peer_pids "$name" "$workdir") || return 1
    # shellcheck disable=SC2086 # PIDs separated by white space
    for pid in $(_peer_tree $roots); do
        stat=$(cat "/proc/$pid/stat" 2>/dev/null) || continue
        read -r -a fields <<<"${stat##*) }"
        # Fields 14-17 of stat(5): utime stime cutime cstime, counted after the name.
        ticks=$((ticks + fields[11] + fields[12] + fields[13] + fields[14]))
    done
    awk -v t="$ticks" -v hz="$(getconf CLK_TCK)" 'BEGIN { printf "%.2f\n", t / hz }'
}
