"""No module of the client sends a mutating call except with a confirmed action (issue 10 §2).

The type does most of it (``RpcClient.call`` takes a Query, ``send`` a Mutation and a ConfirmedAction;
mypy checks every call site); this reads the client's source for the ways around it: another HTTP path,
a key minted outside the confirmation, an action built by hand, a query method called with a mutation.
"""

from __future__ import annotations

import ast
import importlib
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path

from shared_models.rpc import Mutation, Query, Rpc

ROOT = Path(__file__).resolve().parents[2]
CLIENT = ROOT / "client"
#: The one module that puts an idempotency key on the wire.
WIRE = "client/core/rpc_client.py"
#: Where a key may be minted: the slot (confirmation) and the outbox (a payment confirmed at the desk).
MINTERS = {"client/core/actions.py", "client/core/outbox/queue.py"}


def _modules() -> Iterator[tuple[str, ast.Module]]:
    for path in sorted(CLIENT.rglob("*.py")):
        rel = path.relative_to(ROOT).as_posix()
        yield rel, ast.parse(path.read_text(encoding="utf-8"), filename=rel)


def _imported_rpcs(tree: ast.Module) -> dict[str, Rpc[object, object]]:  # type: ignore[type-var]
    """Names a module imports from shared_models.methods that are RPC declarations."""
    found = {}
    for node in ast.walk(tree):
        if isinstance(node, ast.ImportFrom) and node.module and node.module.startswith("shared_models.methods."):
            module = importlib.import_module(node.module)
            for alias in node.names:
                value = getattr(module, alias.name, None)
                if isinstance(value, Rpc):
                    found[alias.asname or alias.name] = value
    return found


def test_the_scan_sees_the_client() -> None:
    """The scan reads the screens and the core (a moved folder would make every check below vacuous)."""
    names = {rel for rel, _ in _modules()}
    assert {"client/core/sync.py", "client/ui/screens/cashier_dialogs.py", WIRE} <= names


def test_only_the_stub_speaks_http_and_sets_the_key() -> None:
    """httpx and the idempotency-key header appear only in the client stub."""
    offenders = []
    for rel, tree in _modules():
        if rel == WIRE:
            continue
        for node in ast.walk(tree):
            if isinstance(node, ast.Import | ast.ImportFrom):
                mods = [a.name for a in node.names] if isinstance(node, ast.Import) else [node.module or ""]
                if any(m.split(".")[0] in {"httpx", "requests", "urllib3", "http"} for m in mods):
                    offenders.append(f"{rel}:{node.lineno} imports {mods}")
            if isinstance(node, ast.Name | ast.alias) and "HEADER_IDEMPOTENCY_KEY" in {
                    getattr(node, "id", None), getattr(node, "name", None)}:
                offenders.append(f"{rel}: uses HEADER_IDEMPOTENCY_KEY")
    assert offenders == []


def test_keys_are_minted_only_at_confirmation() -> None:
    """``new_idempotency_key`` is used only by the slot and the outbox; nobody builds an action by hand."""
    offenders = []
    for rel, tree in _modules():
        for node in ast.walk(tree):
            name = node.id if isinstance(node, ast.Name) else node.attr if isinstance(node, ast.Attribute) else None
            if name in {"new_idempotency_key", "uuid4"} and rel not in MINTERS:
                offenders.append(f"{rel}:{getattr(node, 'lineno', 0)} mints a key")
            if name in {"_MINT", "_confirmed"} and rel != "client/core/actions.py":
                offenders.append(f"{rel}:{getattr(node, 'lineno', 0)} reaches into the action's constructor")
            if (isinstance(node, ast.Call) and isinstance(node.func, ast.Name) and node.func.id == "ConfirmedAction"
                    and rel != "client/core/actions.py"):
                offenders.append(f"{rel}:{node.lineno} builds a ConfirmedAction")
    assert offenders == []


def test_call_takes_queries_and_send_takes_mutations_with_an_action() -> None:
    """Every ``.call(RPC, ...)`` of a declared method names a Query; every ``.send`` names a Mutation with
    ``action=``."""
    seen_calls = seen_sends = 0
    offenders = []
    for rel, tree in _modules():
        rpcs = _imported_rpcs(tree)
        for node in ast.walk(tree):
            if not (isinstance(node, ast.Call) and isinstance(node.func, ast.Attribute) and node.args):
                continue
            first = node.args[0]
            rpc = rpcs.get(first.id) if isinstance(first, ast.Name) else None
            if node.func.attr == "call" and rpc is not None:
                seen_calls += 1
                if not isinstance(rpc, Query):
                    offenders.append(f"{rel}:{node.lineno} calls the mutation {rpc.name}")
            if node.func.attr == "send":  # the client has no other send: each one is the stub's
                seen_sends += 1
                if rpc is not None and not isinstance(rpc, Mutation):
                    offenders.append(f"{rel}:{node.lineno} sends the query {rpc.name}")
                if not any(k.arg == "action" for k in node.keywords):
                    offenders.append(f"{rel}:{node.lineno} sends without action=")
    assert offenders == []
    assert seen_calls > 10
    assert seen_sends > 10


#: Each wrong way and what mypy names in its complaint.
WRONG_WAYS = [
    ("rpc.call(VOID, VoidRequest(receipt_no='H0101-20261123-00001', reason='xx'))", "Query"),
    ("rpc.send(VOID, VoidRequest(receipt_no='H0101-20261123-00001', reason='xx'))", '"action"'),
    ("rpc.send(VOID, VoidRequest(receipt_no='H0101-20261123-00001', reason='xx'), action='k')", "ConfirmedAction"),
    ("rpc.send(QUOTE, QuoteRequest(customer_no='3100000001'), action=ActionSlot().confirm(1))", "Mutation"),
]


def test_mypy_refuses_the_wrong_way(tmp_path: Path) -> None:
    """mypy (the project's strict settings) rejects a mutation through ``call``, a send without a confirmed
    action, and a query through ``send``; the one right way passes."""
    body = "".join(f"\n\ndef wrong_{n}(rpc: RpcClient) -> None:\n    {line}\n"
                   for n, (line, _) in enumerate(WRONG_WAYS))
    body += ("\n\ndef right(rpc: RpcClient) -> None:\n"
             "    rpc.send(VOID, VoidRequest(receipt_no='H0101-20261123-00001', reason='xx'),"
             " action=ActionSlot().confirm(1))\n")
    source = tmp_path / "wrong_way.py"
    source.write_text(
        "from client.core.actions import ActionSlot\n"
        "from client.core.rpc_client import RpcClient\n"
        "from shared_models.methods.payments import QUOTE, VOID, QuoteRequest, VoidRequest\n" + body,
        encoding="utf-8")
    # A process of its own: mypy's compiled modules do not like sharing the interpreter with Qt at exit.
    done = subprocess.run([sys.executable, "-m", "mypy", "--config-file", str(ROOT / "pyproject.toml"),
                           "--follow-imports=silent", "--cache-dir", str(tmp_path / "cache"), str(source)],
                          cwd=ROOT, capture_output=True, text=True, check=False)
    assert done.returncode == 1, done.stdout + done.stderr
    lines = source.read_text(encoding="utf-8").splitlines()
    complaints: dict[str, str] = {}
    for row in done.stdout.splitlines():
        parts = row.split(":", 3)
        if len(parts) == 4 and parts[0].endswith("wrong_way.py") and parts[2].strip() == "error":
            where = lines[int(parts[1]) - 1].strip()
            complaints[where] = complaints.get(where, "") + parts[3]
    for line, expected in WRONG_WAYS:
        assert expected in complaints.get(line, ""), (line, done.stdout)
    assert len(complaints) == len(WRONG_WAYS), done.stdout
