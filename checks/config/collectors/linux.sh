#!/bin/sh
# auditor configuration collector for Linux — read-only, POSIX sh.
#
# Prints ONE JSON document (an "evidence bundle") describing how this host
# is configured: OS, effective SSH server settings, password and lockout
# policy, administrators, firewall, logging, time synchronisation,
# anti-malware, automatic updates, disk encryption and the package list.
#
# What it does NOT do: change anything, read /etc/shadow or /etc/gshadow,
# read private keys, or send anything anywhere.  Password fields of
# /etc/passwd and /etc/group are cut out before they are printed.  Read it
# before you run it; run it as root for complete results (firewall rules
# and `sshd -T` need root), as any user for a partial bundle.
#
# Usage:  sh linux.sh [--root DIR] [--host NAME] [-o FILE]
#   --root DIR   read configuration files under DIR instead of / (a copy of
#                a system, a mounted image); live commands are then skipped,
#                except `sshd -T -f DIR/etc/ssh/sshd_config`.  Env: AUDITOR_ROOT.
#   --host NAME  host name to record (default: DIR/etc/hostname or `hostname`).
#   -o FILE      write the bundle to FILE instead of standard output.

set -u
COLLECTOR_VERSION=1
ROOT=${AUDITOR_ROOT:-/}
HOST_NAME=""
OUT=""
while [ $# -gt 0 ]; do
    case "$1" in
        --root) ROOT=$2; shift 2 ;;
        --host) HOST_NAME=$2; shift 2 ;;
        -o) OUT=$2; shift 2 ;;
        -h|--help) sed -n '2,21p' "$0"; exit 0 ;;
        *) echo "unknown option: $1" >&2; exit 2 ;;
    esac
done
ROOT=${ROOT%/}
LIVE=yes
[ -n "$ROOT" ] && LIVE=no
if [ -n "$OUT" ]; then exec >"$OUT" || exit 3; fi
PATH=$PATH:/usr/sbin:/sbin
TAB=$(printf '\t')
MAX_BYTES=1048576

# stdin -> a JSON string literal: control characters dropped, \ " and tab
# escaped, lines joined with \n.
jstr() {
    LC_ALL=C tr -d '\000-\010\013-\037' \
        | LC_ALL=C sed -e 's/\\/\\\\/g' -e 's/"/\\"/g' -e "s/$TAB/\\\\t/g" \
        | LC_ALL=C awk 'BEGIN { ORS = ""; printf "\"" } { if (NR > 1) printf "\\n"; printf "%s", $0 } END { printf "\"" }'
}

SEP=""
# key "value-already-json"
emit() { printf '%s"%s":%s' "$SEP" "$1" "$2"; SEP=","; }
emit_str() { printf '%s"%s":' "$SEP" "$1"; printf '%s' "$2" | jstr; SEP=","; }

have() { command -v "$1" >/dev/null 2>&1; }
bounded() { if have timeout; then timeout 30 "$@"; else "$@"; fi; }

# A readable configuration file under ROOT, without secrets.
emit_file() {
    f="$ROOT$1"
    [ -f "$f" ] && [ -r "$f" ] || return 0
    printf '%s' "$SEP"; printf '%s' "$1" | jstr; printf ':'
    case "$1" in
        /etc/passwd) cut -d: -f1,3,4,7 "$f" | jstr ;;     # name:uid:gid:shell — no password field
        /etc/group) cut -d: -f1,3,4 "$f" | jstr ;;        # name:gid:members — no password field
        *) head -c "$MAX_BYTES" "$f" | jstr ;;
    esac
    SEP=","
}

# name rc output -> "name":{"rc":rc,"output":"..."}
emit_result() {
    printf '%s"%s":{"rc":%d,"output":' "$SEP" "$1" "$2"
    printf '%s' "$3" | head -c "$MAX_BYTES" | jstr
    printf '}'
    SEP=","
}

# A live command's output and exit code (skipped when it is not installed).
emit_cmd() {
    name=$1; shift
    have "$1" || return 0
    output=$(bounded "$@" 2>&1)
    emit_result "$name" $? "$output"
}

FILES="/etc/os-release /etc/hostname
/etc/ssh/sshd_config /etc/login.defs /etc/security/pwquality.conf /etc/security/faillock.conf
/etc/pam.d/common-password /etc/pam.d/common-auth /etc/pam.d/system-auth /etc/pam.d/password-auth
/etc/passwd /etc/group /etc/sudoers
/etc/systemd/journald.conf /etc/systemd/journal-upload.conf /etc/logrotate.conf /etc/logrotate.d/rsyslog
/etc/rsyslog.conf /etc/syslog-ng/syslog-ng.conf
/etc/systemd/timesyncd.conf /etc/chrony/chrony.conf /etc/chrony.conf /etc/ntp.conf /etc/ntpsec/ntp.conf
/etc/apt/apt.conf.d/20auto-upgrades /etc/apt/apt.conf.d/10periodic /etc/dnf/automatic.conf
/etc/crypttab /etc/ufw/ufw.conf /etc/nftables.conf /etc/firewalld/firewalld.conf
/etc/clamav/freshclam.conf /sys/class/dmi/id/chassis_type"
CONF_DIRS="/etc/ssh/sshd_config.d /etc/security/pwquality.conf.d /etc/systemd/journald.conf.d
/etc/rsyslog.d /etc/sudoers.d /etc/systemd/timesyncd.conf.d"

printf '{'
emit_str format "auditor-config-bundle"
emit format_version 1
emit_str platform linux
if [ -z "$HOST_NAME" ]; then
    if [ "$LIVE" = yes ]; then HOST_NAME=$(hostname 2>/dev/null || uname -n)
    else HOST_NAME=$(head -n 1 "$ROOT/etc/hostname" 2>/dev/null); fi
fi
emit_str host "${HOST_NAME:-unknown}"
emit_str collected_at "$(date -u +%Y-%m-%dT%H:%M:%SZ)"
printf '%s"collector":{' "$SEP"; SEP=""
emit_str name "auditor-linux-collector"
emit collector_version "$COLLECTOR_VERSION"
emit_str root "${ROOT:-/}"
emit uid "$(id -u)"
printf '}'; SEP=","

printf '%s"files":{' "$SEP"; SEP=""
for path in $FILES; do emit_file "$path"; done
for dir in $CONF_DIRS; do
    for f in "$ROOT$dir"/*; do
        [ -f "$f" ] && emit_file "${f#"$ROOT"}"
    done
done
printf '}'; SEP=","

# Ages of anti-malware signatures: modification times only, never contents.
printf '%s"file_mtimes":{' "$SEP"; SEP=""
for f in "$ROOT"/var/lib/clamav/daily.cvd "$ROOT"/var/lib/clamav/daily.cld "$ROOT"/var/lib/clamav/main.cvd; do
    [ -f "$f" ] && emit "${f#"$ROOT"}" "$(date -r "$f" +%s 2>/dev/null || echo null)"
done
printf '}'; SEP=","

printf '%s"commands":{' "$SEP"; SEP=""
if have sshd; then
    if [ "$LIVE" = yes ]; then emit_cmd sshd_t sshd -T
    elif [ -f "$ROOT/etc/ssh/sshd_config" ]; then emit_cmd sshd_t sshd -T -f "$ROOT/etc/ssh/sshd_config"; fi
fi
if [ "$LIVE" = yes ]; then
    emit_cmd uname uname -srm
    if have systemctl; then
        units="ssh sshd nftables ufw firewalld netfilter-persistent iptables systemd-timesyncd chrony chronyd ntp ntpsec
rsyslog syslog-ng systemd-journal-upload clamav-daemon clamav-freshclam unattended-upgrades
dnf-automatic.timer dnf-automatic-install.timer"
        # one "unit state" line per unit
        output=$(for u in $units; do printf '%s %s\n' "$u" "$(systemctl is-active "$u" 2>/dev/null)"; done)
        emit_result systemctl_is_active 0 "$output"
    fi
    emit_cmd timedatectl timedatectl show
    emit_cmd nft_ruleset nft list ruleset
    emit_cmd iptables_rules iptables -S
    emit_cmd ufw_status ufw status
    emit_cmd firewalld_state firewall-cmd --state
    emit_cmd lsblk lsblk -rno NAME,TYPE,FSTYPE,MOUNTPOINT
fi
printf '}'; SEP=","

# Package list for the patching family: `dpkg-query -W` format (name TAB version).
if have dpkg-query && [ -d "$ROOT/var/lib/dpkg" ]; then
    printf '%s"packages":{' "$SEP"; SEP=""
    emit_str format "dpkg-query"
    emit_str output "$(dpkg-query --admindir="$ROOT/var/lib/dpkg" -W -f='${binary:Package}\t${Version}\n' 2>/dev/null)"
    printf '}'; SEP=","
elif have rpm && [ "$LIVE" = yes ]; then
    printf '%s"packages":{' "$SEP"; SEP=""
    emit_str format "rpm"
    emit_str output "$(rpm -qa --qf '%{NAME}\t%{VERSION}-%{RELEASE}\n' 2>/dev/null)"
    printf '}'; SEP=","
fi
printf '}\n'
