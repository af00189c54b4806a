"""SSH host keys and the Debian weak-key blacklist (CVE-2008-0166).

From September 2006 to May 2008 Debian's and Ubuntu's OpenSSL seeded its
generator with little more than the process ID, so ``ssh-keygen`` there
could make only 32 768 RSA or DSA keys per type, size and architecture —
all of them public since 2008.  A server still presenting one (a host key
copied from an old install, an appliance image) can be impersonated by
anyone.

The data format is Debian's ``openssh-blacklist`` (read by ``ssh-vulnkey``):
one file per key type and size, ``blacklist.RSA-2048``, ``blacklist.DSA-1024``
…, each line the MD5 fingerprint of the key blob in hex with its first 12
characters removed (the lower 80 bits).  The key is read with
``ssh-keyscan`` (OpenSSH's own client: it speaks every host-key algorithm a
current sshd offers, which nmap's ``ssh-hostkey`` 7.93 does not for RSA).
"""

from __future__ import annotations

import base64
import hashlib
import re
import struct
from dataclasses import dataclass
from functools import lru_cache
from importlib.resources import files
from pathlib import Path
from typing import Any, Mapping

from auditor.yamlfile import load_shipped

#: ssh-keyscan's key types, and the blacklist file prefix for those the Debian bug produced.
KEYSCAN_TYPES = "rsa,dsa,ecdsa,ed25519"
BLACKLIST_PREFIX = {"ssh-rsa": "RSA", "ssh-dss": "DSA"}
_HEX20 = re.compile(r"^[0-9a-f]{20}$")


def _strings(blob: bytes) -> list[bytes]:
    """The length-prefixed fields of an SSH public key blob (RFC 4253 §6.6)."""
    fields, offset = [], 0
    while offset + 4 <= len(blob):
        (length,) = struct.unpack(">I", blob[offset:offset + 4])
        fields.append(blob[offset + 4:offset + 4 + length])
        offset += 4 + length
    return fields


def key_facts(key_type: str, encoded: str) -> dict[str, Any]:
    """Type, size and fingerprints of one public key as ``ssh-keyscan`` prints it (public data only)."""
    blob = base64.b64decode(encoded)
    fields = _strings(blob)
    bits = None
    if key_type == "ssh-rsa" and len(fields) >= 3:
        bits = int.from_bytes(fields[2], "big").bit_length()  # string type, mpint e, mpint n
    elif key_type == "ssh-dss" and len(fields) >= 2:
        bits = int.from_bytes(fields[1], "big").bit_length()  # string type, mpint p, q, g, y
    sha256 = base64.b64encode(hashlib.sha256(blob).digest()).decode().rstrip("=")
    return {"type": key_type, "bits": bits, "md5": hashlib.md5(blob).hexdigest(), "sha256": f"SHA256:{sha256}"}


def parse_keyscan(output: str) -> list[dict[str, Any]]:
    """``ssh-keyscan`` lines (``host type base64``; ``#`` lines are banners) → key facts, without repeats."""
    keys: dict[str, dict[str, Any]] = {}
    for line in output.splitlines():
        parts = line.split()
        if len(parts) < 3 or line.startswith("#"):
            continue
        try:
            facts = key_facts(parts[1], parts[2])
        except (ValueError, TypeError):
            continue
        keys.setdefault(facts["md5"], facts)
    return list(keys.values())


@dataclass(frozen=True)
class WeakKeySet:
    """Blacklist entries per file name (``RSA-2048`` …), whether the set is complete, and where it came from."""

    entries: Mapping[str, frozenset[str]]
    complete: bool
    source: str
    date: str

    def list_for(self, key: Mapping[str, Any]) -> str | None:
        """The file name that covers this key's type and size, if the set has one."""
        prefix = BLACKLIST_PREFIX.get(str(key.get("type")))
        name = f"{prefix}-{key.get('bits')}" if prefix else None
        return name if name in self.entries else None

    def is_weak(self, key: Mapping[str, Any]) -> bool:
        name = self.list_for(key)
        return name is not None and str(key["md5"])[12:] in self.entries[name]


def _read_list(text: str) -> frozenset[str]:
    entries = set()
    for line in text.splitlines():
        line = line.strip().lower()
        if not line or line.startswith("#"):
            continue
        line = line.replace(":", "")
        entries.add(line[-20:] if len(line) == 32 else line)
    return frozenset(e for e in entries if _HEX20.match(e))


SHIPPED = "data/debian_weak_keys"


@lru_cache(maxsize=4)
def weak_key_set(folder: str | None = None) -> WeakKeySet:
    """The configured Debian blacklist folder (complete, as the auditor declared), or the shipped sample."""
    if folder is not None:
        root = Path(folder)
        lists = {p.name.removeprefix("blacklist."): _read_list(p.read_text(encoding="ascii", errors="replace"))
                 for p in sorted(root.glob("blacklist.*-*"))}
        return WeakKeySet(lists, complete=True, source=str(root), date="configured")
    shipped = files("auditor.baselines").joinpath(SHIPPED)
    meta = load_shipped(shipped.joinpath("SOURCE.yaml").read_text(encoding="utf-8"))
    lists = {name: _read_list(shipped.joinpath(f"blacklist.{name}").read_text(encoding="ascii"))
             for name in meta["lists"]}
    return WeakKeySet(lists, complete=bool(meta["complete"]), source=str(meta["source"]), date=str(meta["date"]))
