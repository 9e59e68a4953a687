# shellcheck shell=bash
# Shell functions for a private Postfix instance on loopback, used by run-local.sh and the
# benchmarks: its own config, queue and data directories under one folder, no chroot, no
# DNS, everything relayed to one next hop. Source this file; run the functions as root.

# private_postfix_write DIR SMTP_PORT RELAY_PORT MILTER LOG_DIR
# Writes DIR/etc/main.cf and master.cf. MILTER is a socket spec such as unix:/path, or empty
# for none. Postfix's log goes to LOG_DIR/postfix.log.
private_postfix_write() {
    local dir=$1 smtp_port=$2 relay_port=$3 milter=$4 log_dir=$5
    mkdir -p "$dir/etc" "$dir/queue" "$dir/data"
    chown postfix "$dir/data"
    cat >"$dir/etc/main.cf" <<CONF
compatibility_level = 3.6
queue_directory = $dir/queue
data_directory = $dir/data
mail_owner = postfix
setgid_group = postdrop
syslog_name = postfix-sluice-private
maillog_file = $log_dir/postfix.log
maillog_file_prefixes = $log_dir
myhostname = relay.sluice.test
inet_interfaces = 127.0.0.1
inet_protocols = ipv4
mydestination =
local_recipient_maps =
relayhost = [127.0.0.1]:$relay_port
mynetworks = 127.0.0.0/8
smtpd_relay_restrictions = permit_mynetworks, reject_unauth_destination
smtpd_peername_lookup = no
smtp_dns_support_level = disabled
in_flow_delay = 0
milter_default_action = tempfail
milter_protocol = 6
message_size_limit = 52428800
CONF
    if [ -n "$milter" ]; then
        printf 'smtpd_milters = %s\nnon_smtpd_milters = %s\n' "$milter" "$milter" \
            >>"$dir/etc/main.cf"
    fi
    cat >"$dir/etc/master.cf" <<CONF
127.0.0.1:$smtp_port inet n - n - - smtpd
pickup     unix  n - n 60    1 pickup
cleanup    unix  n - n -     0 cleanup
qmgr       unix  n - n 300   1 qmgr
rewrite    unix  - - n -     - trivial-rewrite
bounce     unix  - - n -     0 bounce
defer      unix  - - n -     0 bounce
trace      unix  - - n -     0 bounce
verify     unix  - - n -     1 verify
flush      unix  n - n 1000? 0 flush
proxymap   unix  - - n -     - proxymap
smtp       unix  - - n -     - smtp
relay      unix  - - n -     - smtp
showq      unix  n - n -     - showq
error      unix  - - n -     - error
retry      unix  - - n -     - error
discard    unix  - - n -     - discard
anvil      unix  - - n -     1 anvil
scache     unix  - - n -     1 scache
postlog    unix-dgram n - n - 1 postlogd
CONF
    # postfix -c accepts only directories that the default main.cf lists.
    [ -f /etc/postfix/main.cf ] || echo "compatibility_level = 3.6" >/etc/postfix/main.cf
    if ! postconf -h alternate_config_directories | grep -qF "$dir/etc"; then
        local current
        current=$(postconf -h alternate_config_directories)
        postconf -e "alternate_config_directories = ${current:+$current, }$dir/etc"
    fi
}

# private_postfix_start DIR LOG_FILE: checks and starts the instance; on failure prints the
# end of its log (Postfix reports start-up errors only there) and returns 1.
private_postfix_start() {
    local dir=$1 log=$2
    postfix -c "$dir/etc" check
    if ! postfix -c "$dir/etc" start >/dev/null 2>&1; then
        echo "postfix did not start:" >&2
        tail "$log" >&2
        return 1
    fi
}

# private_postfix_stop DIR: stops the instance if it has a configuration.
private_postfix_stop() {
    local dir=$1
    if [ -f "$dir/etc/main.cf" ]; then
        postfix -c "$dir/etc" stop >/dev/null 2>&1 || true
    fi
}

# local_sluice_conf TOP DIR [SED_ARGUMENT...]: writes DIR/sluice.conf, the shipped
# configuration with every path moved under DIR, the log on standard error, TOP's
# dictionaries, and the socket world-writable for the private Postfix. Further sed
# arguments (-e EXPRESSION) adjust it more.
local_sluice_conf() {
    local top=$1 dir=$2
    shift 2
    sed -e "s|^socket = .*|socket = unix:$dir/sluice.sock|" \
        -e "s|^socket_mode = .*|socket_mode = 0666|" \
        -e "s|^spool_directory = .*|spool_directory = $dir/spool|" \
        -e "s|^#pid_file = .*|pid_file = $dir/sluice.pid|" \
        -e "s|^target = syslog|target = stderr|" \
        -e "s|^path = /var/log/sluice/audit.log|path = $dir/audit.log|" \
        -e "s|^dictionaries = .*|dictionaries = $top/dictionaries|" \
        -e "s|^cache_directory = .*|cache_directory = $dir/cache|" \
        -e "s|^state_file = .*|state_file = $dir/volume.state|" \
        -e "s|^control_socket = .*|control_socket = $dir/control.sock|" \
        -e "s|^path = /var/lib/sluice/quarantine|path = $dir/quarantine|" \
        "$@" "$top/deploy/sluice.conf" >"$dir/sluice.conf"
}
