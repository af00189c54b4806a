"""Tag-value lists (``v=DMARC1; p=none``), shared by DKIM, DMARC, MTA-STS and TLS-RPT records."""

from __future__ import annotations


def parse_tags(record: str) -> dict[str, str]:
    """Tags of a ``k=v; k=v`` record, keys lower-cased, first occurrence wins.

    Whitespace inside values is removed (DKIM keys are often split by the
    publisher's DNS panel); a fragment without ``=`` is ignored here and
    left for the caller's syntax check.
    """
    tags: dict[str, str] = {}
    for part in record.split(";"):
        key, sep, value = part.partition("=")
        key = key.strip().lower()
        if sep and key and key not in tags:
            tags[key] = "".join(value.split())
    return tags


def starts_with(record: str, version: str) -> bool:
    """Whether a record begins with the version tag (``v=DMARC1``), ignoring case and spaces."""
    first = record.split(";", 1)[0].replace(" ", "").lower()
    return first == version.lower()
