"""Fixtures of the client core tests: TLS material and the HTTPS wire peer (shared with tests/ui)."""

from __future__ import annotations

from tests.client.wire_peer import foreign_tls, make_rpc, peer, tls_files  # noqa: F401 - fixtures, used by name
