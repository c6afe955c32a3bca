"""System methods: the version handshake."""

from __future__ import annotations

from datetime import datetime
from typing import Annotated

from pydantic import Field

from shared_models.rpc import Model, Query, register


class HandshakeRequest(Model):
    """What the client says of itself before signing in."""

    contract_version: Annotated[str, Field(max_length=16)]
    client_version: Annotated[str, Field(max_length=32)]


class HandshakeResult(Model):
    """What the server says back."""

    contract_version: str
    server_version: str
    server_time: datetime


HANDSHAKE = register(
    Query(
        "system.handshake",
        HandshakeRequest,
        HandshakeResult,
        permission=None,
        summary="Check that the server serves this client's contract version.",
    )
)
