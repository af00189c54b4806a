"""Lab web site for the web family: the gmina's BIP on 127.0.10.30 (HTTP 8000, HTTPS 8443).

Typical gaps: HSTS for one day only, no CSP or framing protection, nginx
version disclosed, a session cookie without HttpOnly/SameSite, an expired
security.txt, a forgotten ``.git`` directory and a directory listing of
``/pliki/``.  Every other path answers 200 with the home page (a soft 404),
so the exposure checks have to tell real files from the CMS's catch-all.
The certificate is self-signed, generated at start-up into the lab folder.
"""

from __future__ import annotations

import datetime as dt
import ssl
from pathlib import Path

from cryptography import x509
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import ec
from cryptography.x509.oid import NameOID

from auditor.demo.lab import LAB_DOMAIN, LabPart
from auditor.demo.services import Route, http_service

ADDRESS = "127.0.10.30"
HTTP_PORT, HTTPS_PORT = 8000, 8443
HOST = f"bip.{LAB_DOMAIN}"

HOME = b"<html><head><title>BIP Gminy Przykladowo</title></head><body>Biuletyn Informacji Publicznej</body></html>"
LISTING = (b"<html><head><title>Index of /pliki/</title></head><body><h1>Index of /pliki/</h1><pre>"
           b'<a href="../">../</a>\n<a href="lista_plac_2024.xlsx">lista_plac_2024.xlsx</a></pre></body></html>')


def _self_signed(folder: Path, name: str) -> ssl.SSLContext:
    """A throw-away certificate for ``name`` (the tls family judges it; here it only carries HTTPS)."""
    folder.mkdir(parents=True, exist_ok=True)
    key = ec.generate_private_key(ec.SECP256R1())
    subject = x509.Name([x509.NameAttribute(NameOID.COMMON_NAME, name)])
    now = dt.datetime.now(dt.timezone.utc)
    cert = (x509.CertificateBuilder().subject_name(subject).issuer_name(subject).public_key(key.public_key())
            .serial_number(x509.random_serial_number()).not_valid_before(now - dt.timedelta(days=1))
            .not_valid_after(now + dt.timedelta(days=90))
            .add_extension(x509.SubjectAlternativeName([x509.DNSName(name)]), critical=False)
            .sign(key, hashes.SHA256()))
    cert_path, key_path = folder / "bip.crt", folder / "bip.key"
    cert_path.write_bytes(cert.public_bytes(serialization.Encoding.PEM))
    key_path.write_bytes(key.private_bytes(serialization.Encoding.PEM, serialization.PrivateFormat.PKCS8,
                                           serialization.NoEncryption()))
    context = ssl.create_default_context(ssl.Purpose.CLIENT_AUTH)
    context.load_cert_chain(cert_path, key_path)
    return context


def _routes() -> dict[str, Route]:
    security_txt = b"Contact: mailto:informatyk@przykladowo.test\nExpires: 2024-12-31T23:00:00Z\n"
    return {
        "/": (200, {"Strict-Transport-Security": "max-age=86400",
                    "Set-Cookie": "PHPSESSID=lab-session; path=/; Secure"}, HOME),
        "/.well-known/security.txt": (200, {"Content-Type": "text/plain"}, security_txt),
        "/.git/HEAD": (200, {"Content-Type": "text/plain"}, b"ref: refs/heads/master\n"),
        "/.git/config": (200, {"Content-Type": "text/plain"}, b"[core]\n\trepositoryformatversion = 0\n"),
        "/pliki/": (200, {}, LISTING),
    }


def start(workdir: Path) -> LabPart:
    context = _self_signed(workdir / "web", HOST)
    redirect: Route = (301, {"Location": f"https://{HOST}:{HTTPS_PORT}/"}, b"")
    http = http_service("bip-http", ADDRESS, HTTP_PORT, headers={"Server": "nginx/1.18.0"}, routes={"/": redirect},
                        not_found=redirect)
    https = http_service("bip-https", ADDRESS, HTTPS_PORT, headers={"Server": "nginx/1.18.0"}, body=HOME,
                         routes=_routes(), ssl_context=context)
    return LabPart(
        services=[http, https],
        hosts=[{"name": HOST, "addresses": [ADDRESS], "roles": ["www", "bip"],
                "ports": [{"port": HTTP_PORT, "service": "http"}, {"port": HTTPS_PORT, "service": "https"}]}],
    )
