#!/bin/sh
# One scheduled audit run: scan into the snapshot store, write the latest HTML
# report, keep a log.  Used by examples/cron/auditor.cron and
# examples/systemd/auditor-scan.service; configured through the environment:
#
#   AUDITOR_INVENTORY   inventory file                   (required)
#   AUDITOR_STORE       snapshot store (SQLite file)     (required)
#   AUDITOR_REPORT_DIR  where latest.html goes           (default: directory of the store)
#   AUDITOR_LOG_DIR     one log file per run             (default: $AUDITOR_REPORT_DIR/logs)
#   AUDITOR_SCAN_ARGS   extra `auditor scan` options     (e.g. --fail-on-regression --fail-under 60)
#   AUDITOR_PRUNE_ARGS  if set, `auditor prune` options  (e.g. --keep-daily 30 --keep-weekly 12 --keep-monthly 24)
#   AUDITOR_LANG        report language pl|en            (default: pl)
#   AUDITOR_LOG_DAYS    delete logs older than this      (default: 90)
#   AUDITOR             the auditor executable           (default: auditor on PATH)
#
# Exit status: that of `auditor scan` (0 ok, 1 thresholds not met, 2 bad input,
# 3 scan failed), or the report's when the scan passed but the report failed.
# Two runs never collide: `auditor scan --store` holds a lock on the store.
set -u

: "${AUDITOR_INVENTORY:?set AUDITOR_INVENTORY to the inventory file}"
: "${AUDITOR_STORE:?set AUDITOR_STORE to the snapshot store}"
AUDITOR=${AUDITOR:-auditor}
REPORT_DIR=${AUDITOR_REPORT_DIR:-$(dirname "$AUDITOR_STORE")}
LOG_DIR=${AUDITOR_LOG_DIR:-$REPORT_DIR/logs}
LANG_REPORT=${AUDITOR_LANG:-pl}
STAMP=$(date -u +%Y%m%dT%H%M%SZ)
LOG=$LOG_DIR/scan-$STAMP.log

umask 027
mkdir -p "$REPORT_DIR" "$LOG_DIR" || exit 3

log() { printf '%s %s\n' "$(date -u +%Y-%m-%dT%H:%M:%SZ)" "$*" >>"$LOG"; }

log "scan of $AUDITOR_INVENTORY into $AUDITOR_STORE"
# shellcheck disable=SC2086  # AUDITOR_SCAN_ARGS is a list of options
"$AUDITOR" scan "$AUDITOR_INVENTORY" --store "$AUDITOR_STORE" --lang "$LANG_REPORT" ${AUDITOR_SCAN_ARGS:-} >>"$LOG" 2>&1
status=$?
log "scan finished with exit status $status"

if [ "$status" -le 1 ]; then
    "$AUDITOR" diff --store "$AUDITOR_STORE" --json >"$REPORT_DIR/diff-latest.json.tmp" 2>>"$LOG" \
        && mv "$REPORT_DIR/diff-latest.json.tmp" "$REPORT_DIR/diff-latest.json"
    rm -f "$REPORT_DIR/diff-latest.json.tmp"
    if "$AUDITOR" report --store "$AUDITOR_STORE" --snapshot latest --lang "$LANG_REPORT" \
            -o "$REPORT_DIR/.latest.html.tmp" >>"$LOG" 2>&1; then
        cp "$REPORT_DIR/.latest.html.tmp" "$REPORT_DIR/audit-$STAMP.html"
        mv "$REPORT_DIR/.latest.html.tmp" "$REPORT_DIR/latest.html"
        log "report written: $REPORT_DIR/latest.html"
    else
        report_status=$?
        rm -f "$REPORT_DIR/.latest.html.tmp"
        log "report failed with exit status $report_status"
        [ "$status" -eq 0 ] && status=$report_status
    fi
fi

if [ -n "${AUDITOR_PRUNE_ARGS:-}" ]; then
    # shellcheck disable=SC2086
    "$AUDITOR" prune --store "$AUDITOR_STORE" $AUDITOR_PRUNE_ARGS >>"$LOG" 2>&1 || log "prune failed"
fi
find "$LOG_DIR" -name 'scan-*.log' -mtime +"${AUDITOR_LOG_DAYS:-90}" -delete 2>/dev/null
find "$REPORT_DIR" -maxdepth 1 -name 'audit-*.html' -mtime +"${AUDITOR_LOG_DAYS:-90}" -delete 2>/dev/null
exit "$status"
