"""The ``credentials`` probe: a short list of default passwords, tried gently, only where allowed.

Before every single login attempt the probe asks the authorisation record
(``ProbeContext.authorisation``): is this service named under
``credential_tests``, and is *now* inside the window?  If not, nothing is
sent — not even a connection — and the evidence says why
(``not_authorised`` / ``window_closed``).  ``--ignore-window`` does not
lift this: it overrides the window for passive probes only.

Gentle by construction: one job per host runs every attempt on that host
in turn, ``credential_delay_s`` apart; a service stops at the first
accepted pair, after its list (at most ``credential_max_attempts``), at
the first lockout answer, or after ``credential_max_errors`` connection
errors in a row.  Every connection goes to the host's checked address.

The password of an accepted pair is not put into the evidence: only the
user name, the service and how many attempts it took.
"""

from __future__ import annotations

import time
from dataclasses import dataclass
from typing import Any

from auditor.checks.credentials.data import credential_list, pairs
from auditor.checks.credentials.family import FAMILY
from auditor.checks.credentials.logins import LOGINS, Endpoint, Result, basic_auth_challenge
from auditor.checks.web.probe import web_sites
from auditor.http import FetchError
from auditor.model import Evidence, Target, utcnow
from auditor.plugin import Probe, ProbeContext
from auditor.scope import OutOfScope
from auditor.settings import CredentialSettings
from auditor.workflow.authorisation import credential_tests_allowed, within_window

#: Ports a service listens on when the inventory does not name it.
DEFAULT_PORTS = {21: "ftp", 22: "ssh", 3306: "mysql", 5432: "postgresql"}
SERVICE_NAMES = {"ftp": "ftp", "ssh": "ssh", "mysql": "mysql", "mariadb": "mysql", "postgresql": "postgresql",
                 "postgres": "postgresql"}
PER_ATTEMPT_S = 10.0


@dataclass(frozen=True)
class Service:
    kind: str
    port: int
    origin: str | None = None
    """For ``http_basic``: the web site whose admin paths are looked at."""


def services_of(target: Target) -> list[Service]:
    """The host's declared services default credentials can be tried on, in inventory order."""
    found = []
    for port in target.ports:
        kind = SERVICE_NAMES.get(port.service or "") or (DEFAULT_PORTS.get(port.port) if port.service is None else None)
        if port.protocol == "tcp" and kind:
            found.append(Service(kind, port.port))
    found += [Service("http_basic", site.port, site.origin(target.name)) for site in web_sites(target)]
    return found


@FAMILY.probe
class CredentialsProbe(Probe):
    name = "credentials"
    target_kinds = frozenset({"host"})
    timeout = 600.0
    """Ten pairs on five services, 3 s apart, is 150 s of waiting alone; the probe also keeps its own budget."""

    def applies(self, target: Target) -> bool:
        return super().applies(target) and bool(services_of(target))

    def collect(self, target: Target, ctx: ProbeContext) -> Evidence:
        address = target.addresses[0]
        settings = CredentialSettings.model_validate(dict(ctx.settings))
        session = _HostSession(address, ctx, settings, time.monotonic() + ctx.timeout * 0.85)
        results: list[dict[str, Any]] = []
        for service in services_of(target):
            results += session.panels(service) if service.kind == "http_basic" else [session.service(service)]
        attempts = sum(r["attempts"] for r in results)
        closed = any(r["state"] == "window_closed" for r in results)
        return {"host": target.name, "address": address, "services": results, "attempts": attempts,
                "run": "ran" if attempts else ("window_closed" if closed else "not_authorised"),
                "delay_s": settings.credential_delay_s, "data_date": credential_list().updated}


class _HostSession:
    """Every attempt on one host: the permission asked each time, the pause between two, one time budget."""

    def __init__(self, address: str, ctx: ProbeContext, settings: CredentialSettings, deadline: float) -> None:
        self.address, self.ctx, self.settings, self.deadline = address, ctx, settings, deadline
        self._last: float | None = None

    def _refusal(self, kind: str) -> str | None:
        """Why no attempt on ``kind`` may be sent now (``None``: it may)."""
        record, now = self.ctx.authorisation, utcnow()
        if credential_tests_allowed(record, kind, now):
            return None
        if record is not None and kind in record.credential_tests and not within_window(record, now):
            return "window_closed"
        return "not_authorised"

    def _pause(self) -> None:
        if self._last is not None:
            time.sleep(max(0.0, self.settings.credential_delay_s - (time.monotonic() - self._last)))
        self._last = time.monotonic()

    def _timeout(self) -> float:
        return min(PER_ATTEMPT_S, self.deadline - time.monotonic())

    def _endpoint(self, service: Service, url: str | None = None) -> Endpoint:
        self.ctx.scope.require_address(self.address)
        return Endpoint(self.address, service.port, max(0.5, self._timeout()), url, self.ctx.scope)

    def service(self, service: Service, url: str | None = None, path: str | None = None) -> dict[str, Any]:
        """Tries the list on one service (or one panel URL) and says how it ended."""
        listed = pairs(service.kind)[: self.settings.credential_max_attempts]
        result: dict[str, Any] = {"service": service.kind, "port": service.port, "origin": service.origin,
                                  "path": path, "state": "rejected", "user": None, "attempts": 0,
                                  "listed": len(listed), "detail": None}
        refusal = self._refusal(service.kind)
        if refusal:
            return {**result, "state": refusal}
        login = LOGINS[service.kind]
        errors = answered = 0
        for pair in listed:
            if self._timeout() < 1.0 + self.settings.credential_delay_s:
                return {**result, "state": "time_budget"}
            self._pause()
            refusal = self._refusal(service.kind)  # asked after the pause: the window may have closed meanwhile
            if refusal:
                return {**result, "state": refusal}
            outcome = login(self._endpoint(service, url), pair.user, pair.password)
            result["attempts"] += 1
            if outcome.result is Result.ERROR:
                errors += 1
                result["detail"] = outcome.detail
                if errors >= self.settings.credential_max_errors:
                    return {**result, "state": "stopped" if answered else "unreachable"}
                continue
            errors, answered = 0, answered + 1
            if outcome.result is Result.ACCEPTED:
                return {**result, "state": "accepted", "user": pair.user, "detail": None}
            if outcome.result is Result.LOCKOUT:
                return {**result, "state": "stopped", "detail": outcome.detail}
            if outcome.result is Result.NO_PASSWORD_AUTH:
                return {**result, "state": "no_password_auth", "detail": outcome.detail}
        return {**result, "detail": None}

    def panels(self, service: Service) -> list[dict[str, Any]]:
        """A web site's admin paths: one plain GET each; the list is tried only where HTTP basic auth is asked."""
        assert service.origin is not None
        base = {"service": service.kind, "port": service.port, "origin": service.origin, "path": None,
                "user": None, "attempts": 0, "listed": 0, "detail": None}
        refusal = self._refusal(service.kind)
        if refusal:
            return [{**base, "state": refusal}]
        found, errors = [], []
        for path in credential_list().panel_paths:
            url = service.origin + path
            try:
                if basic_auth_challenge(self._endpoint(service, url)):
                    found.append(self.service(service, url, path))
            except (FetchError, OutOfScope) as exc:
                errors.append(f"{path}: {str(exc)[:100]}")
        if found:
            return found
        return [{**base, "state": "unreachable" if errors and len(errors) == len(credential_list().panel_paths)
                 else "no_panel", "detail": "; ".join(errors)[:300] or None,
                 "paths": ", ".join(credential_list().panel_paths)}]
