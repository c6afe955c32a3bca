"""The typed client stub of the RPC contract: ``POST {server}/rpc/<method>`` over HTTPS with httpx.

Qt-free and blocking: the UI calls it from worker threads through ``Op``, never from the GUI thread.
Every failure leaves this module as an :class:`RpcError` carrying an :class:`ErrorCode`; the UI turns
codes into sentences in one place (``client/ui/messages.py``).
"""

from __future__ import annotations

import base64
import json
import logging
import ssl
import threading
import time
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from pathlib import Path
from urllib.parse import urlsplit

import httpx
from pydantic import ValidationError

from client.core.actions import ConfirmedAction
from shared_models.errors import ErrorCode, ErrorEnvelope, ParamValue
from shared_models.methods.system import HANDSHAKE, HandshakeRequest, HandshakeResult
from shared_models.pinning import ca_fingerprint
from shared_models.refusals import contract_refusal
from shared_models.rpc import (
    CONTRACT_VERSION,
    HEADER_AUTHORIZATION,
    HEADER_CONTRACT,
    HEADER_COSIGN,
    HEADER_COUNTER,
    HEADER_IDEMPOTENCY_KEY,
    Mutation,
    Query,
    ReqT,
    ResT,
    Rpc,
    is_supported,
)

log = logging.getLogger(__name__)

CONNECT_TIMEOUT_S = 5.0
READ_TIMEOUT_S = 15.0

#: Codes that mean the session is gone: the UI returns to the login window.
SESSION_LOST_CODES = frozenset(
    {ErrorCode.SESSION_EXPIRED, ErrorCode.SESSION_INVALID, ErrorCode.SESSION_WRONG_COUNTER,
     ErrorCode.NOT_AUTHENTICATED}
)


class RpcError(Exception):
    """A failed call: a code and its parameters, never prose (the UI translates)."""

    def __init__(
        self, code: ErrorCode, params: Mapping[str, ParamValue] | None = None, ref: str | None = None
    ) -> None:
        super().__init__(code.value)
        self.code = code
        self.params: dict[str, ParamValue] = dict(params or {})
        self.ref = ref

    def __repr__(self) -> str:
        return f"RpcError({self.code.value}, params={self.params!r}, ref={self.ref!r})"


@dataclass(frozen=True)
class Cosign:
    """A second person's credential for a co-signed call (SPEC C1)."""

    username: str
    password: str = field(repr=False)

    def header_value(self) -> str:
        """Base64 of ``{"username": ..., "password": ...}``, the wire form of the co-sign header."""
        raw = json.dumps({"username": self.username, "password": self.password}, ensure_ascii=False)
        return base64.b64encode(raw.encode("utf-8")).decode("ascii")


def normalize_server_url(text: str) -> str:
    """``"https://host:8443/"`` -> ``"https://host:8443"``; ValueError unless it is an https URL with a host.

    The counter speaks HTTPS only: its one trust anchor is the pinned CA.
    """
    url = text.strip().rstrip("/")
    parts = urlsplit(url)
    if parts.scheme != "https" or not parts.hostname or parts.query or parts.fragment:
        raise ValueError(f"not an https server address: {text!r}")
    try:
        _ = parts.port  # raises on a malformed port
    except ValueError as exc:
        raise ValueError(f"bad port in {text!r}") from exc
    return url


def invalid_request(exc: ValidationError) -> RpcError:
    """A request the contract rejects before it is sent, reported the way the server would."""
    code, params = contract_refusal(exc)
    return RpcError(code, params)


def make_request(model: type[ReqT], **fields: object) -> ReqT:
    """Build a request model; a value the contract refuses becomes the RpcError the server would send."""
    try:
        return model(**fields)
    except ValidationError as exc:
        raise invalid_request(exc) from None


def _tls_failure(exc: BaseException) -> bool:
    """True when a transport error was caused by TLS (untrusted certificate, failed handshake)."""
    seen: set[int] = set()
    current: BaseException | None = exc
    while current is not None and id(current) not in seen:
        if isinstance(current, ssl.SSLError):
            return True
        seen.add(id(current))
        current = current.__cause__ or current.__context__
    return False


def _transport_error(exc: httpx.HTTPError) -> RpcError:
    """Map an httpx failure to the client-only codes."""
    if isinstance(exc, httpx.ConnectTimeout):
        # Nothing was sent: for the outbox this is the same as an unreachable server.
        return RpcError(ErrorCode.NETWORK_UNREACHABLE)
    if isinstance(exc, httpx.TimeoutException):
        # The request may have arrived: the outcome is unknown, a replay must reuse its key.
        return RpcError(ErrorCode.NETWORK_TIMEOUT)
    if _tls_failure(exc):
        return RpcError(ErrorCode.TLS_UNTRUSTED)
    if isinstance(exc, httpx.ProtocolError):
        return RpcError(ErrorCode.BAD_RESPONSE)
    return RpcError(ErrorCode.NETWORK_UNREACHABLE)


class RpcClient:
    """One persistent HTTPS connection pool to the server; safe to use from several worker threads.

    ``ca_pin`` is asked (once, from a worker thread, since keyring access is disk I/O) for the pinned
    CA fingerprint; the CA file must match it or every call fails with ``TLS_UNTRUSTED``.
    """

    def __init__(
        self,
        *,
        ca_file: Path,
        ca_pin: Callable[[], str | None],
        client_version: str,
        server_url: str | None = None,
        connect_timeout_s: float = CONNECT_TIMEOUT_S,
        read_timeout_s: float = READ_TIMEOUT_S,
    ) -> None:
        self._ca_file = ca_file
        self._ca_pin = ca_pin
        self._client_version = client_version
        self._timeout = httpx.Timeout(read_timeout_s, connect=connect_timeout_s)
        self._lock = threading.Lock()
        self._server_url = normalize_server_url(server_url) if server_url else None
        self._ssl: ssl.SSLContext | None = None
        self._http: httpx.Client | None = None
        self._token: str | None = None
        self._counter_code: str | None = None
        #: Told after every call whether the server answered (True) or could not be reached (False):
        #: the sync worker's link indicator learns from every call, not only from its own.
        self.link_listener: Callable[[bool], None] | None = None

    # -- configuration -------------------------------------------------------------------------

    @property
    def server_url(self) -> str | None:
        """The server's base URL, or None before one is set."""
        return self._server_url

    def set_server(self, url: str) -> None:
        """Point the client at ``url`` (ValueError if it is not an https URL); drops the old pool."""
        normalized = normalize_server_url(url)
        with self._lock:
            if normalized == self._server_url:
                return
            self._server_url = normalized
            old, self._http = self._http, None
        if old is not None:
            old.close()

    def set_session(self, *, token: str, counter_code: str) -> None:
        """Send ``token`` and the counter code with every following call."""
        with self._lock:
            self._token = token
            self._counter_code = counter_code

    def clear_session(self, *, token: str | None = None) -> None:
        """Forget the session token; with ``token``, only if that is still the current one."""
        with self._lock:
            if token is None or token == self._token:
                self._token = None

    @property
    def session_token(self) -> str | None:
        """The current session token, or None."""
        return self._token

    @property
    def has_session(self) -> bool:
        """True while a session token is set."""
        return self._token is not None

    def close(self) -> None:
        """Close the connection pool."""
        with self._lock:
            old, self._http = self._http, None
        if old is not None:
            old.close()

    # -- calls ---------------------------------------------------------------------------------

    def handshake(self) -> HandshakeResult:
        """Check that the server serves this client's contract version."""
        result = self.call(
            HANDSHAKE, HandshakeRequest(contract_version=CONTRACT_VERSION, client_version=self._client_version)
        )
        if not is_supported(CONTRACT_VERSION, result.contract_version):
            raise RpcError(
                ErrorCode.CONTRACT_VERSION_UNSUPPORTED,
                {"client_version": CONTRACT_VERSION, "server_version": result.contract_version},
            )
        return result

    def call(self, rpc: Query[ReqT, ResT], req: ReqT) -> ResT:
        """Call the query ``rpc`` with ``req``; the parsed response, or RpcError.

        A mutation is refused here before anything is sent (TypeError): it goes through :meth:`send`.
        """
        if not isinstance(rpc, Query) or rpc.mutating:
            raise TypeError(f"{rpc.name} changes something: send it with RpcClient.send and a ConfirmedAction")
        return self._post(rpc, req, key=None, cosign=None)

    def send(
        self, rpc: Mutation[ReqT, ResT], req: ReqT, *, action: ConfirmedAction, cosign: Cosign | None = None,
    ) -> ResT:
        """Send the mutation ``rpc`` with the idempotency key of ``action`` (the same key on every retry of
        that action, so the server applies it once and replays its first result); the response, or RpcError.
        """
        if not isinstance(rpc, Mutation) or not rpc.mutating:
            raise TypeError(f"{rpc.name} changes nothing: call it with RpcClient.call")
        if not isinstance(action, ConfirmedAction):
            raise TypeError("a mutation needs the ConfirmedAction of what the user confirmed")
        return self._post(rpc, req, key=action.key, cosign=cosign)

    def _post(self, rpc: Rpc[ReqT, ResT], req: ReqT, *, key: str | None, cosign: Cosign | None) -> ResT:
        """One POST of ``req`` to ``rpc``'s path with the call's headers; the parsed response, or RpcError."""
        content = json.dumps(req.model_dump(mode="json"), ensure_ascii=False, separators=(",", ":")).encode()
        if len(content) > rpc.max_request_bytes:
            raise RpcError(ErrorCode.REQUEST_TOO_LARGE, {"limit": rpc.max_request_bytes})
        http, headers, token = self._prepare()
        if key is not None:
            headers[HEADER_IDEMPOTENCY_KEY] = key
        if cosign is not None:
            headers[HEADER_COSIGN] = cosign.header_value()
        started = time.monotonic()
        try:
            response = http.post(rpc.path, content=content, headers=headers)
        except httpx.HTTPError as exc:
            error = _transport_error(exc)
            log.warning("rpc %s failed: %s (%s)", rpc.name, error.code.value, type(exc).__name__)
            self._tell_link(up=False)
            raise error from exc
        self._tell_link(up=response.status_code != httpx.codes.SERVICE_UNAVAILABLE)
        log.info("rpc %s -> %d in %.0f ms", rpc.name, response.status_code, (time.monotonic() - started) * 1000)
        if response.status_code == httpx.codes.OK:
            try:
                return rpc.response.model_validate_json(response.content)
            except ValidationError as exc:
                log.error("rpc %s: response does not match the contract: %s", rpc.name, exc)
                raise RpcError(ErrorCode.BAD_RESPONSE) from exc
        raise self._error_from(rpc, response, token=token)

    def _tell_link(self, *, up: bool) -> None:
        listener = self.link_listener
        if listener is not None:
            try:
                listener(up)
            except Exception:  # a status indicator must never break a call
                log.exception("link listener failed")

    def _error_from(self, rpc: Rpc[ReqT, ResT], response: httpx.Response, *, token: str | None) -> RpcError:
        try:
            payload = ErrorEnvelope.model_validate_json(response.content).error
        except ValidationError as exc:
            log.error("rpc %s: HTTP %d without a readable error envelope", rpc.name, response.status_code)
            error = RpcError(ErrorCode.BAD_RESPONSE)
            error.__cause__ = exc
            return error
        if payload.code in SESSION_LOST_CODES and token is not None:
            self.clear_session(token=token)
        log.info("rpc %s: %s ref=%s", rpc.name, payload.code.value, payload.ref)
        return RpcError(payload.code, payload.params, payload.ref)

    def _prepare(self) -> tuple[httpx.Client, dict[str, str], str | None]:
        """The pool (created on first use) and the headers of this call, read under the lock."""
        with self._lock:
            if self._server_url is None:
                raise RpcError(ErrorCode.NETWORK_UNREACHABLE)
            if self._ssl is None:
                self._ssl = self._trusted_context()
            if self._http is None:
                self._http = httpx.Client(
                    base_url=self._server_url, verify=self._ssl, timeout=self._timeout, http1=True,
                    http2=False, follow_redirects=False, trust_env=False,
                )
            headers = {HEADER_CONTRACT: CONTRACT_VERSION, "Content-Type": "application/json"}
            if self._token is not None:
                headers[HEADER_AUTHORIZATION] = f"Bearer {self._token}"
            if self._counter_code is not None:
                headers[HEADER_COUNTER] = self._counter_code
            return self._http, headers, self._token

    def _trusted_context(self) -> ssl.SSLContext:
        """An SSL context trusting only the pinned CA; TLS_UNTRUSTED when file and pin disagree."""
        try:
            pem = self._ca_file.read_bytes()
        except OSError:
            log.error("no CA certificate at %s: pin one with `gridcounter --ca`", self._ca_file)
            raise RpcError(ErrorCode.TLS_UNTRUSTED) from None
        try:
            pin = self._ca_pin()
            actual = ca_fingerprint(pem)
        except Exception as exc:  # a broken keyring or CA file must read as "not trusted", never crash
            log.error("cannot check the CA pin: %s", type(exc).__name__)
            raise RpcError(ErrorCode.TLS_UNTRUSTED) from exc
        if pin is None or pin.lower() != actual:
            log.error("CA certificate %s does not match the pinned fingerprint", self._ca_file)
            raise RpcError(ErrorCode.TLS_UNTRUSTED)
        context = ssl.create_default_context(cafile=str(self._ca_file))  # cafile given: no system CAs
        context.minimum_version = ssl.TLSVersion.TLSv1_2
        return context
