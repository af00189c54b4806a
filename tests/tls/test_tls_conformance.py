"""OpenSSL's trust verdict, the RFC 5280 defects beside it, and the grade that follows (no network).

Certificates are built here with ``cryptography`` (one precise defect each)
or with the openssl CLI exactly as the remediation text tells an office to.
"""

from __future__ import annotations

import copy
import datetime as dt
import json
import re
import subprocess
from pathlib import Path

import pytest
import trustme
import yaml
from cryptography import x509
from cryptography.hazmat.primitives import hashes
from cryptography.hazmat.primitives.asymmetric import ec
from cryptography.x509.oid import ExtendedKeyUsageOID, NameOID

from auditor.checks.tls import trust
from auditor.checks.tls.certfacts import certificate_facts
from auditor.checks.tls.conformance import RULES, TEXTS, chain_defects
from auditor.checks.tls.grade import grade

NOW = dt.datetime.now(dt.timezone.utc)
EVIDENCE = Path(__file__).with_name("evidence")


def _name(cn: str) -> x509.Name:
    return x509.Name([x509.NameAttribute(NameOID.COMMON_NAME, cn)])


def make_ca(*, key_usage: bool, ski: bool = True) -> tuple[x509.Certificate, ec.EllipticCurvePrivateKey]:
    key = ec.generate_private_key(ec.SECP256R1())
    builder = (x509.CertificateBuilder().subject_name(_name("CA Gminy")).issuer_name(_name("CA Gminy"))
               .public_key(key.public_key()).serial_number(x509.random_serial_number())
               .not_valid_before(NOW - dt.timedelta(days=1)).not_valid_after(NOW + dt.timedelta(days=365))
               .add_extension(x509.BasicConstraints(ca=True, path_length=None), critical=True))
    if key_usage:
        builder = builder.add_extension(x509.KeyUsage(
            digital_signature=False, content_commitment=False, key_encipherment=False, data_encipherment=False,
            key_agreement=False, key_cert_sign=True, crl_sign=True, encipher_only=False, decipher_only=False),
            critical=True)
    if ski:
        builder = builder.add_extension(x509.SubjectKeyIdentifier.from_public_key(key.public_key()), critical=False)
    return builder.sign(key, hashes.SHA256()), key


def make_leaf(ca: x509.Certificate, ca_key: ec.EllipticCurvePrivateKey, *, aki: bool = True,
              eku: list[x509.ObjectIdentifier] | None = None, days: tuple[int, int] = (-1, 90)) -> x509.Certificate:
    key = ec.generate_private_key(ec.SECP256R1())
    builder = (x509.CertificateBuilder().subject_name(_name("bip.gmina.pl")).issuer_name(ca.subject)
               .public_key(key.public_key()).serial_number(x509.random_serial_number())
               .not_valid_before(NOW + dt.timedelta(days=days[0])).not_valid_after(NOW + dt.timedelta(days=days[1]))
               .add_extension(x509.SubjectAlternativeName([x509.DNSName("bip.gmina.pl")]), critical=False)
               .add_extension(x509.ExtendedKeyUsage(eku or [ExtendedKeyUsageOID.SERVER_AUTH]), critical=False))
    if aki:
        builder = builder.add_extension(x509.AuthorityKeyIdentifier.from_issuer_public_key(ca_key.public_key()),
                                        critical=False)
    return builder.sign(ca_key, hashes.SHA256())


def anchors(*certs: x509.Certificate) -> tuple:
    from OpenSSL import crypto

    return tuple(crypto.X509.from_cryptography(c) for c in certs)


def test_openssl_trusts_a_ca_without_key_usage_and_a_leaf_without_aki():
    ca, key = make_ca(key_usage=False)
    leaf = make_leaf(ca, key, aki=False)
    verdict = trust.verify([leaf], anchors(ca))
    assert verdict.trusted and verdict.error is None
    assert [c.subject for c in verdict.verified_chain] == [leaf.subject, ca.subject]
    codes = [d["code"] for d in chain_defects([certificate_facts(c) for c in verdict.verified_chain])]
    assert codes == ["no_authority_key_id", "ca_no_key_usage"]


def test_a_conformant_chain_has_no_defects():
    ca, key = make_ca(key_usage=True)
    verdict = trust.verify([make_leaf(ca, key)], anchors(ca))
    assert verdict.trusted
    assert chain_defects([certificate_facts(c) for c in verdict.verified_chain]) == []


def test_a_ca_without_ski_is_a_defect():
    ca, key = make_ca(key_usage=True, ski=False)
    verdict = trust.verify([make_leaf(ca, key)], anchors(ca))
    assert [d["code"] for d in chain_defects([certificate_facts(c) for c in verdict.verified_chain])] == [
        "ca_no_subject_key_id"]


def test_dates_are_left_to_the_expiry_check():
    ca, key = make_ca(key_usage=True)
    assert trust.verify([make_leaf(ca, key, days=(-100, -70))], anchors(ca)).trusted


def test_a_client_only_certificate_is_not_trusted_for_a_server():
    ca, key = make_ca(key_usage=True)
    verdict = trust.verify([make_leaf(ca, key, eku=[ExtendedKeyUsageOID.CLIENT_AUTH])], anchors(ca))
    assert not verdict.trusted and "purpose" in verdict.error


def test_an_unknown_issuer_is_not_trusted():
    ca, key = make_ca(key_usage=True)
    other, _ = make_ca(key_usage=True)
    verdict = trust.verify([make_leaf(ca, key)], anchors(other))
    assert not verdict.trusted and "local issuer" in verdict.error


def test_every_defect_has_a_rule_and_both_texts():
    assert TEXTS.keys() == RULES.keys()
    assert all(pl and en for pl, en in TEXTS.values())


def test_strict_verifier_messages_name_oids():
    message = ("validation failed: candidates exhausted: invalid extension: 2.5.29.15: Certificate is missing "
               "required extension (encountered processing <Certificate(subject=<Name(CN=bip.gmina.pl)>, ...)>)")
    text = trust.readable(message)
    assert "keyUsage" in text and "CN=bip.gmina.pl" in text
    assert not re.search(r"\d+\.\d+\.\d+\.\d+", text) and "<Certificate" not in text
    assert trust.oid_name("1.2.3.4.5") == "unregistered identifier 1.2.3.4.5"


def _recipe_commands(lang: str) -> list[str]:
    """The shell lines of tls.cert.chain_conformance's remediation, as the office would paste them."""
    text = yaml.safe_load((Path(trust.__file__).with_name("tls.yaml")).read_text(encoding="utf-8"))
    remediation = text["checks"]["tls.cert.chain_conformance"]["remediation"][lang]
    return [line.strip() for line in remediation.splitlines() if line.strip().startswith(("printf ", "openssl x509"))]


@pytest.mark.parametrize("lang", ["pl", "en"])
def test_the_remediation_recipe_fixes_an_openssl_req_x509_ca(tmp_path: Path, lang: str):
    """Run the remediation's own commands on a CA made by ``openssl req -x509``: strict verify passes after."""
    def sh(command: str) -> subprocess.CompletedProcess[str]:
        return subprocess.run(command, shell=True, cwd=tmp_path, capture_output=True, text=True, timeout=60)

    (tmp_path / "ca.cnf").write_text("[req]\ndistinguished_name=dn\nx509_extensions=v3\nprompt=no\n[dn]\nCN=CA Gminy\n"
                                     "[v3]\nbasicConstraints=critical,CA:true\nsubjectKeyIdentifier=hash\n")
    assert sh("openssl req -x509 -newkey rsa:2048 -nodes -keyout ca.key -out ca.pem -days 3650 -config ca.cnf"
              ).returncode == 0
    leaf_name = "serwer" if lang == "pl" else "server"
    assert sh(f"openssl req -newkey rsa:2048 -nodes -keyout {leaf_name}.key -out {leaf_name}.csr "
              f"-subj /CN=bip.gmina.pl").returncode == 0
    commands = _recipe_commands(lang)
    assert len(commands) == 4
    for command in commands:
        done = sh(command)
        assert done.returncode == 0, (command, done.stderr)
    new_ca = "ca-nowy.pem" if lang == "pl" else "ca-new.pem"
    strict = sh(f"openssl verify -x509_strict -CAfile {new_ca} {leaf_name}.pem")
    assert strict.returncode == 0 and "OK" in strict.stdout, strict.stdout + strict.stderr
    chain = [x509.load_pem_x509_certificate((tmp_path / name).read_bytes()) for name in (f"{leaf_name}.pem", new_ca)]
    verdict = trust.verify(chain[:1], anchors(chain[1]))
    assert verdict.trusted
    assert chain_defects([certificate_facts(c) for c in verdict.verified_chain]) == []


def _good_endpoint() -> dict:
    return copy.deepcopy(json.loads((EVIDENCE / "good.json").read_text())["endpoints"][0])


def test_hostname_mismatch_is_m_even_when_the_chain_is_also_untrusted():
    ep = _good_endpoint()
    ep["certificate"]["hostname_match"] = False
    ep["certificate"]["trusted"] = False
    now = dt.datetime.fromisoformat(ep["certificate"]["chain"][0]["not_before"]) + dt.timedelta(days=2)
    result = grade(ep, now)
    assert result["grade"] == "M"
    assert result["trust_issues"] == ["untrusted", "hostname_mismatch"]


def test_an_expired_but_trusted_chain_is_one_issue():
    ep = _good_endpoint()
    after = dt.datetime.fromisoformat(ep["certificate"]["chain"][0]["not_after"]) + dt.timedelta(days=1)
    result = grade(ep, after)
    assert (result["grade"], result["trust_issues"]) == ("T", ["expired"])


def test_a_self_signed_certificate_the_office_trusts_is_not_t():
    ep = _good_endpoint()
    ep["certificate"]["chain"][0]["self_signed"] = True  # pinned in tls_ca_file: OpenSSL trusts it
    now = dt.datetime.fromisoformat(ep["certificate"]["chain"][0]["not_before"]) + dt.timedelta(days=2)
    assert grade(ep, now)["trust_issues"] == []


def test_trustme_ca_is_conformant():
    ca = trustme.CA()
    leaf = ca.issue_cert("www.gmina.pl")
    chain = [x509.load_pem_x509_certificate(blob.bytes()) for blob in leaf.cert_chain_pems]
    verdict = trust.verify(chain, anchors(x509.load_pem_x509_certificate(ca.cert_pem.bytes())))
    assert verdict.trusted
    assert chain_defects([certificate_facts(c) for c in verdict.verified_chain]) == []
