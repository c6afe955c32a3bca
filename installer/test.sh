#!/usr/bin/env bash
# The full check, as CI runs it: setup, then ruff, mypy, import contracts and pytest.
#
# Every step runs even after an earlier one failed, so one run reports every problem; the exit
# status is non-zero if any step failed. Extra arguments go to pytest (e.g. -k payment -x).
set -euo pipefail

REPO="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$REPO"

printf '==> setup\n'
bash installer/setup.sh

# The venv's tools first on PATH: lint-imports and mypy must see the editable install.
export PATH="$REPO/.venv/bin:$PATH"

failed=()

step() {
    local name="$1"
    shift
    printf '==> %s\n' "$name"
    local rc=0
    "$@" || rc=$?
    if ((rc != 0)); then
        printf '==> %s FAILED (exit %d)\n' "$name" "$rc" >&2
        failed+=("$name")
    fi
}

run_pytest() {
    local rc=0
    # Two workers (CI has two cores), whole test files per worker, the pcscd tests together: tests/parallel.py.
    # GRIDCOUNTER_TEST_WORKERS=0 runs everything in one process; -n given on the command line wins.
    QT_QPA_PLATFORM=offscreen pytest -n "${GRIDCOUNTER_TEST_WORKERS:-2}" --dist loadgroup "$@" || rc=$?
    # Exit 5 means nothing was collected: a broken test path must not pass as green.
    ((rc == 5)) && printf 'pytest collected no tests\n' >&2
    return "$rc"
}

step "ruff check" ruff check .
step "mypy" mypy .
step "lint-imports" lint-imports
step "translations" python -m client.ui.i18n_check
step "pytest" run_pytest "$@"

if ((${#failed[@]} > 0)); then
    printf '==> FAILED: %s\n' "${failed[*]}" >&2
    exit 1
fi
printf '==> all checks passed\n'
