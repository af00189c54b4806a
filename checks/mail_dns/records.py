"""The exact DNS records a finding asks the office to publish.

Templated from the evidence so the remediation is the line to paste into
the zone (or the registrar's panel), not a description of it.  Names are
written fully qualified, the way a zone file and most DNS panels take them.
"""

from __future__ import annotations

from auditor.checks.mail_dns.tags import parse_tags


def txt(name: str, value: str) -> str:
    return f'{name}. TXT "{value}"'


def spf(domain: str, has_mx: bool) -> str:
    """A starting SPF record: the domain's MX may send; nothing else may (``-all``)."""
    return txt(domain, "v=spf1 mx -all" if has_mx else "v=spf1 -all")


def spf_with_all(domain: str, record: str, qualifier: str = "-") -> str:
    """The existing record with its ``all`` term made strict (appended when absent)."""
    terms = [t for t in record.split() if t.lstrip("+-~?").lower() != "all"]
    if not any(t.lower().startswith("redirect=") for t in terms):
        terms.append(f"{qualifier}all")
    return txt(domain, " ".join(terms))


def dmarc(domain: str, policy: str = "quarantine", existing: str | None = None) -> str:
    """A DMARC record with ``p=policy`` and aggregate reports, keeping other existing tags."""
    tags = parse_tags(existing or "")
    tags.pop("v", None)
    tags["p"] = policy
    if tags.get("sp") == "none":
        tags["sp"] = policy
    tags.pop("pct", None)
    tags.setdefault("rua", f"mailto:dmarc@{domain}")
    order = ["p", "sp", "rua", "ruf"]
    ordered = sorted(tags.items(), key=lambda kv: order.index(kv[0]) if kv[0] in order else len(order))
    return txt(f"_dmarc.{domain}", "; ".join(["v=DMARC1"] + [f"{k}={v}" for k, v in ordered]))


def dkim(domain: str, selector: str) -> str:
    return txt(f"{selector}._domainkey.{domain}", "v=DKIM1; k=rsa; p=<klucz publiczny / public key>")


def mta_sts(domain: str, policy_id: str) -> str:
    return txt(f"_mta-sts.{domain}", f"v=STSv1; id={policy_id}")


def mta_sts_policy(mx_hosts: list[str], mode: str = "enforce") -> str:
    """The policy file for ``https://mta-sts.<domain>/.well-known/mta-sts.txt``."""
    lines = ["version: STSv1", f"mode: {mode}"] + [f"mx: {host}" for host in mx_hosts] + ["max_age: 604800"]
    return "\n".join(lines)


def tls_rpt(domain: str) -> str:
    return txt(f"_smtp._tls.{domain}", f"v=TLSRPTv1; rua=mailto:tlsrpt@{domain}")


def caa(domain: str) -> str:
    return (f'{domain}. CAA 0 issue "<CA, np. / e.g. letsencrypt.org>"\n'
            f'{domain}. CAA 0 iodef "mailto:security@{domain}"')
