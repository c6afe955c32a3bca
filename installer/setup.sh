#!/usr/bin/env bash
# Prepare this machine for GridCounter development, tests and the demo (Debian 12).
#
# Idempotent: system packages are installed only when one is missing, the virtual environment is
# reused, pip runs only when pyproject.toml changed since the last successful install, and
# translations are rebuilt only when their .ts is newer. A second run is silent and takes seconds.
#
# Needs only python3 (3.11+), git and apt. Environment:
#   GRIDCOUNTER_PYTHON   interpreter for the virtual environment (default: python3)
set -euo pipefail

REPO="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
VENV="$REPO/.venv"
STAMP="$VENV/.gridcounter-pyproject.sha256"
PYTHON="${GRIDCOUNTER_PYTHON:-python3}"

# COMPONENTS.md "Fresh-machine packages", plus the X11/xcb libraries Qt's xcb platform plugin
# loads when the client runs on a real display or under Xvfb.
APT_PACKAGES=(
    python3-venv python3-dev gcc libc6-dev
    pcscd vsmartcard-vpcd libpcsclite-dev swig
    libegl1 libgl1 libxkbcommon0 libfontconfig1 libdbus-1-3 libglib2.0-0 libgssapi-krb5-2
    fonts-noto-cjk fonts-wqy-microhei poppler-utils xvfb
    xauth libxcb-cursor0 libxkbcommon-x11-0 libxcb-icccm4 libxcb-keysyms1 libxcb-shape0
    libxcb-render-util0 libxcb-image0 libxcb-randr0 libxcb-xfixes0 libxcb-xinerama0 libxcb-xkb1
    libxrender1 libxi6 libsm6 libice6
)

say() { printf 'setup: %s\n' "$*"; }
die() { printf 'setup: error: %s\n' "$*" >&2; exit 1; }

# --- (a) system packages ---------------------------------------------------------------------

missing_packages() {
    local -A installed=()
    local name state
    # dpkg-query exits non-zero when a name is unknown to dpkg; the known ones are still listed.
    while read -r name state; do
        [[ "$state" == "installed" ]] && installed["$name"]=1
    done < <(dpkg-query -W -f='${Package} ${db:Status-Status}\n' "${APT_PACKAGES[@]}" 2>/dev/null || true)
    local pkg
    for pkg in "${APT_PACKAGES[@]}"; do
        [[ -n "${installed[$pkg]:-}" ]] || printf '%s\n' "$pkg"
    done
}

install_system_packages() {
    command -v dpkg-query >/dev/null || die "dpkg-query not found: this script targets Debian 12"
    local missing
    mapfile -t missing < <(missing_packages)
    ((${#missing[@]} == 0)) && return 0

    local -a as_root=()
    if ((EUID != 0)); then
        command -v sudo >/dev/null || die "missing packages (${missing[*]}); run as root or install sudo"
        as_root=(sudo)
    fi
    say "installing ${#missing[@]} system packages: ${missing[*]}"
    "${as_root[@]}" env DEBIAN_FRONTEND=noninteractive apt-get update -qq
    "${as_root[@]}" env DEBIAN_FRONTEND=noninteractive \
        apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
}

# --- (b) virtual environment -----------------------------------------------------------------

python_ok() {
    # True when "$1" runs and is Python 3.11 or newer.
    "$1" -c 'import sys; sys.exit(0 if sys.version_info >= (3, 11) else 1)' 2>/dev/null
}

ensure_venv() {
    if [[ -x "$VENV/bin/python" ]] && python_ok "$VENV/bin/python"; then
        return 0
    fi
    command -v "$PYTHON" >/dev/null || die "$PYTHON not found; install Python 3.11+ (Debian 12: python3)"
    if ! python_ok "$PYTHON"; then
        die "$PYTHON is $("$PYTHON" -c 'import platform; print(platform.python_version())' 2>/dev/null \
            || echo unknown); GridCounter needs Python 3.11 or newer (set GRIDCOUNTER_PYTHON)"
    fi
    # A venv whose interpreter vanished (e.g. a removed pyenv version) is rebuilt from scratch.
    [[ -e "$VENV" ]] && { say "recreating the broken virtual environment $VENV"; rm -rf "$VENV"; }
    say "creating the virtual environment $VENV with $("$PYTHON" -c 'import sys; print(sys.executable)')"
    "$PYTHON" -m venv "$VENV" || die "python3 -m venv failed (on Debian: apt-get install python3-venv)"
}

# --- (c) Python packages ---------------------------------------------------------------------

install_python_packages() {
    local want have=""
    want="$(sha256sum "$REPO/pyproject.toml" | cut -d' ' -f1)"
    [[ -f "$STAMP" ]] && have="$(<"$STAMP")"
    [[ "$want" == "$have" ]] && return 0

    say "installing GridCounter and its dependencies into $VENV (pyproject.toml changed)"
    (cd "$REPO" && "$VENV/bin/python" -m pip install --disable-pip-version-check --quiet -e '.[dev]')
    # Stamp only after success, so an interrupted install is retried on the next run.
    printf '%s\n' "$want" >"$STAMP"
}

# --- (d) translations ------------------------------------------------------------------------

build_translations() {
    local ts qm
    shopt -s nullglob
    for ts in "$REPO"/resources/i18n/*.ts; do
        qm="${ts%.ts}.qm"
        if [[ ! -e "$qm" || "$ts" -nt "$qm" ]]; then
            say "building $(basename "$qm")"
            "$VENV/bin/pyside6-lrelease" -silent "$ts" -qm "$qm"
        fi
    done
    shopt -u nullglob
}

install_system_packages
ensure_venv
install_python_packages
build_translations
