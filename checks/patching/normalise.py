"""From what a service says about itself to (product, version, distribution hint).

Pure functions over the raw strings probes record: HTTP ``Server`` and
``X-Powered-By`` headers, CMS generator tags, SSH/SMTP/FTP greetings and
nmap's ``-sV`` product/version/extrainfo.  Kept at judging time, so a better
parser re-judges stored evidence without a new scan.

A distribution hint matters because distributions backport fixes without
changing the upstream number: ``OpenSSH_8.4p1 Debian-5+deb11u1`` is the
Debian package ``8.4p1-5+deb11u1`` of Debian 11, which may already carry a
fix that upstream only shipped in 9.x.  With the package revision we can
compare against Debian's fixed version; with only ``(Debian)`` we cannot
decide, and say so.
"""

from __future__ import annotations

import re
from dataclasses import asdict, dataclass
from typing import Any, Iterable

#: Canonical product keys (used by the knowledge data) for the names services use.
_PRODUCT_ALIASES: dict[str, str] = {
    "apache": "apache_httpd",
    "apache httpd": "apache_httpd",
    "apache http server": "apache_httpd",
    "nginx": "nginx",
    "openresty": "openresty",
    "microsoft-iis": "iis",
    "microsoft iis httpd": "iis",
    "microsoft iis": "iis",
    "php": "php",
    "openssh": "openssh",
    "openssl": "openssl",
    "lighttpd": "lighttpd",
    "exim": "exim",
    "exim smtpd": "exim",
    "postfix": "postfix",
    "postfix smtpd": "postfix",
    "vsftpd": "vsftpd",
    "proftpd": "proftpd",
    "pure-ftpd": "pure_ftpd",
    "filezilla ftpd": "filezilla_server",
    "filezilla server": "filezilla_server",
    "dovecot": "dovecot",
    "dovecot imapd": "dovecot",
    "dovecot pop3d": "dovecot",
    "microsoft exchange smtpd": "exchange",
    "microsoft esmtp": "exchange",
    "fortinet fortigate ssl vpn": "fortios",
    "fortigate": "fortios",
    "fortios": "fortios",
    "citrix netscaler": "netscaler",
    "netscaler": "netscaler",
    "citrix adc": "netscaler",
    "pulse secure": "ivanti_connect_secure",
    "ivanti connect secure": "ivanti_connect_secure",
    "palo alto globalprotect": "panos",
    "pan-os": "panos",
    "sonicwall sma": "sonicwall_sma",
    "sonicos": "sonicos",
    "mysql": "mysql",
    "mariadb": "mariadb",
    "postgresql": "postgresql",
    "postgresql db": "postgresql",
    "apache tomcat": "tomcat",
    "apache-coyote": "tomcat",
    "wordpress": "wordpress",
    "joomla": "joomla",
    "joomla!": "joomla",
    "drupal": "drupal",
    "typo3": "typo3",
    "typo3 cms": "typo3",
    "roundcube": "roundcube",
    "microsoft exchange": "exchange",
}

#: Distribution names as they appear in banners, mapped to knowledge-data keys.
_DISTROS: dict[str, str] = {
    "debian": "debian",
    "ubuntu": "ubuntu",
    "centos": "centos",
    "red hat": "rhel",
    "red hat enterprise linux": "rhel",
    "rhel": "rhel",
    "fedora": "fedora",
    "almalinux": "almalinux",
    "rocky": "rocky",
    "rocky linux": "rocky",
    "suse": "suse",
    "raspbian": "debian",
    "freebsd": "freebsd",
}

_DEBIAN_RELEASE = re.compile(r"[+~]deb(\d+)u\d+")
_REVISION_DISTROS = ((re.compile(r"ubuntu\d", re.I), "ubuntu"), (re.compile(r"[+~]deb\d+u\d+|\+deb\d+"), "debian"),
                     (re.compile(r"\.el\d+"), "rhel"))
#: What in a banner names the host's platform (for platform-specific vulnerabilities).
_WINDOWS_HINTS = re.compile(r"\bWin(?:32|64)\b|\bWindows\b|Microsoft|\bIIS\b", re.I)
_UNIX_HINTS = re.compile(r"\((?:Unix|Linux)\)|\bLinux\b|\bUnix\b|\bFreeBSD\b", re.I)
WINDOWS_PRODUCTS = frozenset({"iis", "exchange", "aspnet", "filezilla_server"})


@dataclass(frozen=True)
class Observed:
    """One product seen on a service, normalised."""

    product: str
    """Canonical key, e.g. ``apache_httpd``, ``openssh``, ``wordpress``."""
    version: str | None
    """Upstream version (``2.4.49``, ``8.4p1``) or ``None`` when the banner hides it."""
    distro: str | None = None
    """Distribution named by the banner (``debian``, ``ubuntu``, ``centos``): backports possible."""
    distro_release: str | None = None
    """Release when the package revision tells it (``+deb11u1`` → ``11``)."""
    package_version: str | None = None
    """The distribution package version without epoch when the banner tells it (``8.4p1-5+deb11u1``)."""
    raw: str = ""
    source: str = ""
    port: int | None = None
    platform: str | None = None
    """``windows`` when known (an installed-programs export): platform-specific vulnerabilities apply."""

    def as_dict(self) -> dict[str, Any]:
        return asdict(self)


def canonical_product(name: str) -> str:
    """A product key for a product name; unknown names become a lower-case slug."""
    key = name.strip().lower()
    if key in _PRODUCT_ALIASES:
        return _PRODUCT_ALIASES[key]
    return re.sub(r"[^a-z0-9]+", "_", key).strip("_")


def distro_key(name: str) -> str | None:
    return _DISTROS.get(name.strip().lower())


def debian_release(package_version: str) -> str | None:
    """The Debian release a package revision was built for (``…+deb11u3`` → ``11``), if it says."""
    match = _DEBIAN_RELEASE.search(package_version)
    return match.group(1) if match else None


def revision_distro(package_version: str | None) -> str | None:
    """The distribution a package revision names (``4ubuntu2.19`` → ubuntu, ``+deb11u4`` → debian)."""
    for pattern, distro in _REVISION_DISTROS:
        if package_version and pattern.search(package_version):
            return distro
    return None


def platform_in(text: str, product: str = "", distro: str | None = None) -> str | None:
    """``windows`` or ``unix`` when the banner or product tells it; ``None`` when it does not."""
    if product in WINDOWS_PRODUCTS or _WINDOWS_HINTS.search(text):
        return "windows"
    if distro or _UNIX_HINTS.search(text):
        return "unix"
    return None


def _distro_in(text: str) -> str | None:
    lowered = text.lower()
    for name in sorted(_DISTROS, key=len, reverse=True):
        if re.search(rf"\b{re.escape(name)}\b", lowered):
            return _DISTROS[name]
    return None


# --------------------------------------------------------------------------- HTTP headers

_PRODUCT_TOKEN = re.compile(r"([A-Za-z][A-Za-z0-9_.!-]*)/([0-9][0-9A-Za-z.+~:_-]*)")


def parse_product_tokens(value: str, *, source: str, port: int | None = None) -> list[Observed]:
    """``Apache/2.4.41 (Ubuntu) OpenSSL/1.1.1f PHP/7.4.3`` → one ``Observed`` per product token.

    The comment in parentheses names the distribution for every token;
    ``PHP/7.4.33-1+deb11u4`` carries a Debian package revision.
    """
    distro = _distro_in(value)
    found: list[Observed] = []
    for name, version in _PRODUCT_TOKEN.findall(value):
        product = canonical_product(name)
        upstream, package = _split_package_suffix(version)
        token_distro = distro or revision_distro(package)
        release = debian_release(package) if package and token_distro == "debian" else None
        found.append(Observed(
            product=product, version=upstream, distro=token_distro, distro_release=release, package_version=package,
            raw=value[:300], source=source, port=port, platform=platform_in(value, product, token_distro),
        ))
    if not found and value.strip():
        bare = value.strip().split()[0].split("/")[0]
        found.append(Observed(product=canonical_product(bare), version=None, distro=distro, raw=value[:300],
                              source=source, port=port))
    return found


def _split_package_suffix(version: str) -> tuple[str, str | None]:
    """``7.4.33-1+deb11u4`` → (``7.4.33``, ``7.4.33-1+deb11u4``); a plain version has no package part."""
    if "-" in version:
        upstream = version.split("-", 1)[0]
        return upstream, version
    return version, None


_EXCHANGE_RELEASES = (("15.2", "2019"), ("15.1", "2016"), ("15.0", "2013"), ("14", "2010"), ("8", "2007"))
#: Exchange Server Subscription Edition kept the 15.2 numbering; its builds start here.
_EXCHANGE_SE_BUILD = 2562


def parse_owa_version(value: str, *, port: int | None = None) -> Observed | None:
    """``X-OWA-Version: 15.1.2507.6`` → Exchange 2016 (the release line is what has an end of life)."""
    build = value.strip()
    parts = build.split(".")
    if not parts[0].isdigit():
        return None
    release = next((name for prefix, name in _EXCHANGE_RELEASES if build == prefix or build.startswith(prefix + ".")),
                   None)
    if release == "2019" and len(parts) > 2 and parts[2].isdigit() and int(parts[2]) >= _EXCHANGE_SE_BUILD:
        release = "subscription"
    return Observed(product="exchange", version=release, raw=build[:100], source="http:x-owa-version", port=port)


def parse_header(name: str, value: str, *, port: int | None = None) -> list[Observed]:
    """One HTTP response header that may name software and its version."""
    key = name.lower()
    if key in ("x-generator", "x-powered-cms"):
        observed = parse_generator(value, source=f"http:{key}", port=port)
    elif key == "x-owa-version":
        observed = parse_owa_version(value, port=port)
    elif key == "x-aspnet-version":
        observed = Observed(product="aspnet", version=value.strip()[:40], raw=value[:100], source=f"http:{key}",
                            port=port)
    else:
        return parse_product_tokens(value, source=f"http:{key}", port=port)
    return [observed] if observed else []


# --------------------------------------------------------------------------- greetings

_SSH = re.compile(r"^SSH-[\d.]+-(?P<software>\S+)(?:\s+(?P<comment>.*))?$")
_OPENSSH = re.compile(r"^OpenSSH_(?:for_Windows_)?(?P<version>[0-9][0-9A-Za-z.]*)")


def parse_ssh_banner(banner: str, *, port: int | None = None) -> Observed | None:
    """``SSH-2.0-OpenSSH_8.4p1 Debian-5+deb11u1`` → openssh 8.4p1, Debian package 8.4p1-5+deb11u1 (Debian 11)."""
    match = _SSH.match(banner.strip())
    if not match:
        return None
    software, comment = match.group("software"), (match.group("comment") or "").strip()
    openssh = _OPENSSH.match(software)
    if not openssh:
        name, _, version = software.partition("_")
        return Observed(product=canonical_product(name), version=version or None, raw=banner.strip()[:300],
                        source="ssh:banner", port=port)
    version = openssh.group("version")
    distro, release, package = None, None, None
    if comment:
        distro_name, _, revision = comment.partition("-")
        distro = distro_key(distro_name) or _distro_in(comment)
        if revision and distro in ("debian", "ubuntu"):
            package = f"{version}-{revision.split()[0]}"
            release = debian_release(package) if distro == "debian" else None
    return Observed(product="openssh", version=version, distro=distro, distro_release=release,
                    package_version=package, raw=banner.strip()[:300], source="ssh:banner", port=port,
                    platform="windows" if "for_Windows" in software else platform_in(comment, "openssh", distro))


_GREETING_PRODUCTS = (
    (re.compile(r"\bExim\s+([0-9][0-9.]*)", re.I), "exim"),
    (re.compile(r"\bPostfix\b", re.I), "postfix"),
    (re.compile(r"\bvsFTPd\s+([0-9][0-9.]*)", re.I), "vsftpd"),
    (re.compile(r"\bProFTPD\s+([0-9][0-9.a-z]*)", re.I), "proftpd"),
    (re.compile(r"\bMicrosoft ESMTP MAIL Service\b", re.I), "exchange"),
    (re.compile(r"\bDovecot\b", re.I), "dovecot"),
    (re.compile(r"\bPure-FTPd\b", re.I), "pure_ftpd"),
    (re.compile(r"\bFileZilla Server(?: version)?\s+([0-9][0-9.]*)", re.I), "filezilla_server"),
)


def parse_greeting(banner: str, *, source: str, port: int | None = None) -> Observed | None:
    """SMTP/FTP/IMAP greetings (``220 mail ESMTP Exim 4.89 …``, ``220 (vsFTPd 3.0.3)``)."""
    text = banner.strip()
    for pattern, product in _GREETING_PRODUCTS:
        match = pattern.search(text)
        if match:
            version = match.group(1) if match.groups() else None
            distro = _distro_in(text)
            return Observed(product=product, version=version, distro=distro, raw=text[:300], source=source, port=port,
                            platform=platform_in(text, product, distro))
    return None


# --------------------------------------------------------------------------- CMS

_GENERATOR_VERSION = re.compile(r"^(?P<name>[A-Za-z][A-Za-z0-9 !._-]*?)\s*(?:-\s*)?v?(?P<version>\d+(?:\.\d+)*)?(?:\s|$|\()")


def parse_generator(content: str, *, source: str = "html:generator", port: int | None = None) -> Observed | None:
    """``WordPress 5.8.1`` / ``Drupal 7 (https://www.drupal.org)`` / ``Joomla! - Open Source …``."""
    text = content.strip()
    if not text:
        return None
    match = _GENERATOR_VERSION.match(text)
    name = match.group("name") if match else text.split()[0]
    version = match.group("version") if match else None
    product = canonical_product(name.split(" - ")[0].strip())
    return Observed(product=product, version=version, raw=text[:300], source=source, port=port)


# --------------------------------------------------------------------------- nmap

def from_nmap(port: dict[str, Any]) -> Observed | None:
    """nmap ``-sV`` facts of one port (product, version, extrainfo) → ``Observed``."""
    product = (port.get("product") or "").strip()
    if not product:
        return None
    version_field = (port.get("version") or "").strip()
    extrainfo = (port.get("extrainfo") or "").strip()
    raw = " ".join(p for p in (product, version_field, extrainfo) if p)
    context = " ".join(str(port.get(k) or "") for k in ("ostype", "cpe")) + " " + raw
    if mariadb := _MARIADB_IN_MYSQL.match(version_field):
        return _mariadb(mariadb, raw, port.get("port"))
    if canonical_product(product) == "openssh" and version_field:
        # nmap: version "8.4p1 Debian 5+deb11u1" — the same facts as the SSH banner.
        parts = version_field.split()
        comment = f"{parts[1]}-{parts[2]}" if len(parts) >= 3 else " ".join(parts[1:])
        banner = f"SSH-2.0-OpenSSH_{parts[0]}" + (f" {comment}" if comment else "")
        observed = parse_ssh_banner(banner, port=port.get("port"))
        if observed:
            return Observed(**{**observed.as_dict(), "raw": raw[:300], "source": "nmap",
                               "platform": platform_in(context, "openssh", observed.distro)})
    version = version_field.split()[0] if version_field else None
    if version and not re.match(r"^\d", version):
        version = None
    key, distro = canonical_product(product), _distro_in(raw)
    return Observed(product=key, version=version, distro=distro, raw=raw[:300], source="nmap", port=port.get("port"),
                    platform=platform_in(context, key, distro))


#: MariaDB answers the MySQL handshake with ``5.5.5-10.11.6-MariaDB-0+deb12u1``; nmap reports it as MySQL.
_MARIADB_IN_MYSQL = re.compile(r"^(?:5\.5\.5-)?(?P<version>\d+\.\d+\.\d+)-MariaDB(?:-(?P<revision>\S+))?", re.I)


def _mariadb(match: re.Match[str], raw: str, port: int | None) -> Observed:
    version, revision = match.group("version"), match.group("revision")
    package = f"{version}-{revision}" if revision else None
    distro = revision_distro(package)
    return Observed(product="mariadb", version=version, distro=distro,
                    distro_release=debian_release(package) if package and distro == "debian" else None,
                    package_version=package, raw=raw[:300], source="nmap", port=port,
                    platform="unix" if distro else None)


#: Installed Windows programs (``DisplayName``) that are products with lifecycle or vulnerability data.
_PROGRAMS = (
    (re.compile(r"^PHP \d", re.I), "php"),
    (re.compile(r"^Apache HTTP Server\b", re.I), "apache_httpd"),
    (re.compile(r"^PostgreSQL \d", re.I), "postgresql"),
    (re.compile(r"^MySQL Server \d", re.I), "mysql"),
    (re.compile(r"^MariaDB \d", re.I), "mariadb"),
    (re.compile(r"^OpenSSL\b", re.I), "openssl"),
    (re.compile(r"^Apache Tomcat\b", re.I), "tomcat"),
)
_EXCHANGE_PROGRAM = re.compile(r"^Microsoft Exchange Server (\d{4})\b", re.I)


def from_windows_program(program: dict[str, Any]) -> Observed | None:
    """An installed-programs row (``DisplayName``, ``DisplayVersion``) naming a known product."""
    name, version = str(program.get("name", "")), str(program.get("version", "")).strip()
    exchange = _EXCHANGE_PROGRAM.match(name)
    if exchange:
        return Observed(product="exchange", version=exchange.group(1), raw=name[:200], source="windows:program",
                        platform="windows")
    for pattern, product in _PROGRAMS:
        if pattern.match(name) and re.match(r"^\d", version):
            return Observed(product=product, version=version, raw=name[:200], source="windows:program",
                            platform="windows")
    return None


def dedupe(observations: Iterable[Observed]) -> list[Observed]:
    """One entry per (product, version), preferring the most specific (with package revision).

    The same Apache answers on 80 and 443, and nmap and the header probe
    both see it: one finding, not four.
    """
    best: dict[tuple[str, str | None], Observed] = {}
    for item in observations:
        key = (item.product, item.version)
        current = best.get(key)
        if current is None or (item.package_version and not current.package_version) or (
                item.distro and not current.distro):
            best[key] = item
    return list(best.values())
