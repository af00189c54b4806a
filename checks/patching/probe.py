"""Probes of the patching family: what software a host shows, what a package inventory lists.

``software`` talks to a host's declared ports: an HTTP GET of ``/`` (headers
and generator tags, plus one CMS version file when a CMS hides its version),
and the greeting of SSH/SMTP/FTP/POP3/IMAP services.  It records raw strings
only; turning them into products and versions happens when judging
(``normalise.py``).  ``packages`` reads the exported files of a ``packages``
source with the parsers in ``inventories.py``.
"""

from __future__ import annotations

import re
import socket
from pathlib import Path
from typing import Any

from auditor.checks.patching.family import FAMILY
from auditor.checks.patching.inventories import PARSERS, os_from_packages
from auditor.http import FetchError, fetch
from auditor.model import Evidence, PortSpec, Target
from auditor.plugin import Probe, ProbeContext, ProbeInputError, ProbeUnreachable

HTTP_SERVICES = {"http": "http", "https": "https"}
BANNER_SERVICES = {"ssh", "smtp", "submission", "ftp", "pop3", "imap"}
VERSION_HEADERS = ("Server", "X-Powered-By", "X-Generator", "X-AspNet-Version", "X-Powered-CMS", "X-OWA-Version")
MAX_BANNER = 1024
MAX_PAGE = 256 * 1024
MAX_INVENTORY_BYTES = 32 * 1024 * 1024

_META_GENERATOR = re.compile(
    r"""<meta\s+[^>]*?name\s*=\s*["']generator["'][^>]*?content\s*=\s*["']([^"']{1,200})["']"""
    r"""|<meta\s+[^>]*?content\s*=\s*["']([^"']{1,200})["'][^>]*?name\s*=\s*["']generator["']""",
    re.IGNORECASE,
)

#: When a CMS is recognised but its page hides the version: one well-known file that states it.
CMS_VERSION_FILES: dict[str, tuple[str, re.Pattern[str]]] = {
    "wordpress": ("/feed/", re.compile(r"<generator>https?://wordpress\.org/\?v=([0-9][0-9.]*)</generator>")),
    "joomla": ("/administrator/manifests/files/joomla.xml", re.compile(r"<version>([0-9][0-9.]*)</version>")),
    "drupal": ("/CHANGELOG.txt", re.compile(r"^Drupal ([0-9][0-9.]*)", re.MULTILINE)),
}
_CMS_HINTS = {
    "wordpress": re.compile(r"/wp-content/|/wp-includes/|generator[\"'][^>]*WordPress", re.I),
    "joomla": re.compile(r"Joomla!|/media/system/js/|/media/jui/", re.I),
    "drupal": re.compile(r"Drupal|/sites/default/files/|drupal-settings-json", re.I),
}


def generators(html: str) -> list[str]:
    """The ``<meta name="generator">`` contents of a page (either attribute order)."""
    return [a or b for a, b in _META_GENERATOR.findall(html)]


def _http_port(port: PortSpec) -> str | None:
    return HTTP_SERVICES.get(port.service or "")


def _banner_port(port: PortSpec) -> bool:
    return (port.service or "") in BANNER_SERVICES and (port.tls is None or port.tls.value != "implicit")


@FAMILY.probe
class SoftwareProbe(Probe):
    """Version facts a host advertises on its declared web and banner ports."""

    name = "software"
    target_kinds = frozenset({"host"})

    def applies(self, target: Target) -> bool:
        return super().applies(target) and any(_http_port(p) or _banner_port(p) for p in target.ports)

    def collect(self, target: Target, ctx: ProbeContext) -> Evidence:
        address = target.addresses[0]
        ctx.scope.require_address(address)
        http: list[dict[str, Any]] = []
        banners: list[dict[str, Any]] = []
        errors: list[str] = []
        for port in target.ports:
            scheme = _http_port(port)
            try:
                if scheme:
                    http.append(self._http(target.name, address, port.port, scheme, ctx))
                elif _banner_port(port):
                    banners.append({"port": port.port, "service": port.service,
                                    "banner": read_banner(address, port.port, ctx.timeout)})
            except (FetchError, OSError) as exc:
                errors.append(f"{port.port}/{port.service}: {str(exc)[:200]}")
        if not http and not banners and errors:
            raise ProbeUnreachable("; ".join(errors))
        return {"address": address, "http": http, "banners": banners, "errors": errors}

    def _http(self, host: str, address: str, port: int, scheme: str, ctx: ProbeContext) -> dict[str, Any]:
        base = f"{scheme}://{host}:{port}"
        response = fetch(base + "/", ctx.scope, timeout=ctx.timeout, max_bytes=MAX_PAGE, connect_to=address)
        page = response.text()
        headers = {k: v for k, v in response.headers.items() if k.lower() in {h.lower() for h in VERSION_HEADERS}}
        found = generators(page)
        record: dict[str, Any] = {"port": port, "url": response.url, "status": response.status,
                                  "headers": headers, "generators": found, "cms": {}}
        cms = next((name for name, hint in _CMS_HINTS.items() if hint.search(page) or
                    any(name in g.lower() for g in found + list(headers.values()))), None)
        if cms and not any(re.search(r"\d", g) for g in found if cms in g.lower()):
            path, pattern = CMS_VERSION_FILES[cms]
            try:
                extra = fetch(base + path, ctx.scope, timeout=ctx.timeout, max_bytes=64 * 1024, connect_to=address)
            except FetchError as exc:
                record["cms"] = {"product": cms, "file": path, "error": str(exc)[:200]}
            else:
                match = pattern.search(extra.text()) if extra.status == 200 else None
                record["cms"] = {"product": cms, "file": path, "status": extra.status,
                                 "version": match.group(1) if match else None}
        elif cms:
            record["cms"] = {"product": cms}
        return record


def read_banner(address: str, port: int, timeout: float) -> str:
    """The first line(s) a service sends on connect, at most ``MAX_BANNER`` bytes."""
    with socket.create_connection((address, port), timeout=min(timeout, 15.0)) as sock:
        sock.settimeout(min(timeout, 10.0))
        data = b""
        try:
            while b"\n" not in data and len(data) < MAX_BANNER:
                chunk = sock.recv(MAX_BANNER - len(data))
                if not chunk:
                    break
                data += chunk
        except socket.timeout:
            if not data:
                raise
    return data.decode("utf-8", errors="replace").strip()[:MAX_BANNER]


@FAMILY.probe
class PackagesProbe(Probe):
    """Reads a ``packages`` source: the exported inventory files of one host."""

    name = "packages"
    target_kinds = frozenset({"packages"})

    def collect(self, target: Target, ctx: ProbeContext) -> Evidence:
        evidence: dict[str, Any] = {"host": target.attrs.get("host"), "files": [], "packages": [], "os": None,
                                    "package_manager": None, "upgradable": None, "hotfixes": None, "programs": None}
        for item in target.attrs.get("files", []):
            parsed = self._parse(Path(item["path"]), item["format"])
            count = len(parsed) if isinstance(parsed, list) else 1
            evidence["files"].append({"path": item["path"], "format": item["format"], "entries": count})
            _merge(evidence, item["format"], parsed)
        declared = target.attrs.get("os")
        if declared:
            evidence["os"] = {**declared, "evidence": "declared in the inventory"}
        elif evidence["os"] is None and evidence["packages"]:
            evidence["os"] = os_from_packages(evidence["packages"])
        return evidence

    @staticmethod
    def _parse(path: Path, fmt: str) -> Any:
        try:
            size = path.stat().st_size
            if size > MAX_INVENTORY_BYTES:
                raise ProbeInputError(f"{path}: {size} bytes, more than the {MAX_INVENTORY_BYTES} allowed")
            text = path.read_text(encoding="utf-8-sig", errors="replace")
        except OSError as exc:
            raise ProbeInputError(f"{path}: {exc.strerror or exc}") from None
        try:
            return PARSERS[fmt](text)
        except ValueError as exc:
            raise ProbeInputError(f"{path} ({fmt}): {exc}") from None


_MANAGERS = {"dpkg-query": "dpkg", "dpkg-status": "dpkg", "rpm-qa": "rpm"}


def _merge(evidence: dict[str, Any], fmt: str, parsed: Any) -> None:
    """Puts one parsed file into the evidence slot its format fills."""
    if fmt in _MANAGERS:
        evidence["packages"].extend(parsed)
        evidence["package_manager"] = _MANAGERS[fmt]
    elif fmt == "auditor-bundle":
        evidence["packages"].extend(parsed["packages"])
        evidence["package_manager"] = parsed["manager"]
    elif fmt == "apt-upgradable":
        evidence["upgradable"] = (evidence["upgradable"] or []) + parsed
    elif fmt == "windows-hotfix":
        evidence["hotfixes"] = (evidence["hotfixes"] or []) + parsed
        evidence["package_manager"] = evidence["package_manager"] or "windows"
    elif fmt == "windows-programs":
        evidence["programs"] = (evidence["programs"] or []) + parsed
        evidence["package_manager"] = evidence["package_manager"] or "windows"
    elif fmt == "windows-os":
        evidence["os"] = {**parsed, "evidence": "Win32_OperatingSystem export"}
