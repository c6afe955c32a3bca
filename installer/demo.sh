#!/usr/bin/env bash
# Run the demo: a server with 10,000 demo customers, counter H0101 enrolled, and the client.
#
# With a display the client opens normally and the server stops when the client closes. Without
# one (SSH, CI) the client runs under a private Xvfb, saves a screenshot of its login window to
# artifacts/demo-login.png and exits.
#
# Environment: GRIDCOUNTER_PORT (default 8443), GRIDCOUNTER_DATA_DIR (default: the server's),
# GRIDCOUNTER_READY_TIMEOUT seconds to wait for the server (default 300: the first run creates
# the database and the demo data).
set -euo pipefail

REPO="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$REPO"
bash installer/setup.sh

BIN="$REPO/.venv/bin"
PORT="${GRIDCOUNTER_PORT:-8443}"
# The first start loads the demo books: 12 months of bill runs over 10 000 customers, ~1.5–2.5 min on 2 cores.
READY_TIMEOUT="${GRIDCOUNTER_READY_TIMEOUT:-900}"
COUNTER="H0101"
# One source of truth for the data folder: the server's own default.
DATA_DIR="$("$BIN/python" -c 'from server.db.embedded import default_data_dir; print(default_data_dir())')"
export GRIDCOUNTER_DATA_DIR="$DATA_DIR"
SERVER_LOG="$DATA_DIR/logs/server.log"
KEY_FILE="$DATA_DIR/demo-counter.key"
SCREENSHOT="$REPO/artifacts/demo-login.png"

SERVER_PID=""
XVFB_PID=""
XVFB_DIR=""

say() { printf 'demo: %s\n' "$*"; }

stop_pid() {
    # TERM, then KILL if it has not exited within $2 seconds.
    local pid="$1" grace="$2" waited=0
    kill -0 "$pid" 2>/dev/null || return 0
    kill -TERM "$pid" 2>/dev/null || true
    while kill -0 "$pid" 2>/dev/null && ((waited < grace * 5)); do
        sleep 0.2
        waited=$((waited + 1))
    done
    kill -KILL "$pid" 2>/dev/null || true
    wait "$pid" 2>/dev/null || true
}

cleanup() {
    local rc=$?
    trap - EXIT
    if [[ -n "$XVFB_PID" ]]; then
        stop_pid "$XVFB_PID" 5
        say "Xvfb stopped"
    fi
    [[ -n "$XVFB_DIR" ]] && rm -rf "$XVFB_DIR"
    if [[ -n "$SERVER_PID" ]]; then
        # The server stops the embedded PostgreSQL it started; give it time to do so.
        stop_pid "$SERVER_PID" 30
        say "server stopped (log: $SERVER_LOG)"
    fi
    exit "$rc"
}
trap cleanup EXIT
trap 'exit 130' INT TERM

fail() {
    printf 'demo: error: %s\n' "$*" >&2
    if [[ -f "$SERVER_LOG" ]]; then
        printf -- '--- last lines of %s ---\n' "$SERVER_LOG" >&2
        tail -n 40 "$SERVER_LOG" >&2
    fi
    exit 1
}

# --- server ----------------------------------------------------------------------------------

mkdir -p "$DATA_DIR/logs" "$REPO/artifacts"
[[ -f "$SERVER_LOG" ]] && mv -f "$SERVER_LOG" "$SERVER_LOG.1"
say "starting the server on port $PORT (data: $DATA_DIR, log: $SERVER_LOG)"
"$BIN/gridcounter-server" serve --migrate --demo-data 10000 --port "$PORT" >"$SERVER_LOG" 2>&1 &
SERVER_PID=$!

deadline=$((SECONDS + READY_TIMEOUT))
until grep -q '^GRIDCOUNTER READY ' "$SERVER_LOG"; do
    kill -0 "$SERVER_PID" 2>/dev/null || { wait "$SERVER_PID" || true; SERVER_PID=""; fail "the server exited"; }
    ((SECONDS < deadline)) || fail "the server was not ready within ${READY_TIMEOUT}s"
    sleep 0.2
done
ready_line="$(grep -m1 '^GRIDCOUNTER READY ' "$SERVER_LOG")"
SERVER_URL="$(sed -n 's/.* url=\([^ ]*\).*/\1/p' <<<"$ready_line")"
CA_FILE="$(sed -n 's/.* ca=\([^ ]*\).*/\1/p' <<<"$ready_line")"
[[ -n "$SERVER_URL" && -f "$CA_FILE" ]] || fail "cannot parse the READY line: $ready_line"

# /health through the CA the client will pin: proves the TLS chain as well as the server.
"$BIN/python" - "https://127.0.0.1:$PORT/health" "$CA_FILE" <<'EOF' || fail "/health did not answer over TLS"
import sys

import httpx

response = httpx.get(sys.argv[1], verify=sys.argv[2], timeout=10)
sys.exit(0 if response.status_code == 200 else 1)
EOF
say "server ready at $SERVER_URL (CA $CA_FILE)"

# --- counter ---------------------------------------------------------------------------------

say "enrolling counter $COUNTER"
"$BIN/gridcounter-server" counter enroll --counter "$COUNTER" --key-file "$KEY_FILE" \
    || fail "enrolling counter $COUNTER failed"

# --- prepaid cards (issue 14) -----------------------------------------------------------------
# The TEST card keys (public: demo and tests only), then emulator cards matching what the demo books hold: every
# demo customer's current card (serial sha256("demo card " + customer number)[:8]) holding its last written purchase
# and already inserted into its meter once, plus two blank cards (for 开户 / 补卡) and their customers' meters.
# Insert one with: .venv/bin/python -m client.devices.cardsim insert "$DATA_DIR/demo-cards/card-<customer>.json"
# (docs/prepaid-cards.md "Trying it with the demo").

CARD_DIR="$DATA_DIR/demo-cards"
if "$BIN/gridcounter-server" card-keys list 2>/dev/null | grep -q 'TEST'; then
    say "TEST card keys already imported"
else
    "$BIN/gridcounter-server" card-keys init --test-keys >/dev/null \
        || say "card keys: not the TEST ones; the demo cards will not sell"
fi
card_specs="$("$BIN/python" installer/demo_cards.py "$DATA_DIR")" || fail "reading the demo's card customers failed"
CARD_SPECS=()
[[ -n "$card_specs" ]] && mapfile -t CARD_SPECS <<<"$card_specs"
"$BIN/python" -m client.devices.cardsim demo-cards "$CARD_DIR" "${CARD_SPECS[@]}" >"$CARD_DIR.json" \
    || fail "writing the demo cards failed"
say "demo cards and meters in $CARD_DIR (${#CARD_SPECS[@]} cards and blanks; list: $CARD_DIR.json)"
# The counter's card reader is the vpcd virtual reader of pcscd (installer/setup.sh installs both). Debian starts
# pcscd by socket activation under systemd; a machine without systemd (a container) gets it started here, as a
# daemon that outlives the demo like the system service would.
pcscd_running() {
    if command -v pgrep >/dev/null; then pgrep -x pcscd >/dev/null; else [[ -S /run/pcscd/pcscd.comm ]]; fi
}
if command -v pcscd >/dev/null && ! pcscd_running; then
    if pcscd; then
        say "pcscd started (card reader: Virtual PCD 00 00)"
    else
        say "pcscd did not start: the card screens will show 'no card reader'"
    fi
fi

# --- client ----------------------------------------------------------------------------------

CLIENT=("$BIN/gridcounter" --server "https://127.0.0.1:$PORT" --ca "$CA_FILE"
    --counter "$COUNTER" --device-key-file "$KEY_FILE")
say "demo users and passwords: see docs/demo-users.md"

if [[ -z "${DISPLAY:-}" ]]; then
    # Xvfb picks a free display itself and reports it through -displayfd once it accepts clients.
    XVFB_DIR="$(mktemp -d)"
    Xvfb -displayfd 3 -screen 0 1366x768x24 -nolisten tcp 3>"$XVFB_DIR/display" >"$XVFB_DIR/xvfb.log" 2>&1 &
    XVFB_PID=$!
    deadline=$((SECONDS + 30))
    until [[ -s "$XVFB_DIR/display" ]]; do
        kill -0 "$XVFB_PID" 2>/dev/null || { cat "$XVFB_DIR/xvfb.log" >&2; XVFB_PID=""; fail "Xvfb exited"; }
        ((SECONDS < deadline)) || fail "Xvfb did not start within 30s"
        sleep 0.1
    done
    display=":$(tr -d '[:space:]' <"$XVFB_DIR/display")"
    say "no DISPLAY: running the client on Xvfb $display"
    rm -f "$SCREENSHOT"
    DISPLAY="$display" timeout 120 "${CLIENT[@]}" --screenshot "$SCREENSHOT" --exit-after-screenshot \
        || fail "the client failed (exit $?)"
    [[ -s "$SCREENSHOT" ]] || fail "the client did not write $SCREENSHOT"
    printf 'Screenshot of the login window: %s\n' "$SCREENSHOT"
else
    say "starting the client; close it to stop the server"
    "${CLIENT[@]}" || say "the client exited with status $?"
fi
