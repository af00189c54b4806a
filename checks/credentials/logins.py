"""One login attempt per call, per protocol, to exactly the address given.

Each function opens one connection to ``address`` (an IP the scope guard
checked — never a name another resolver could read differently), tries one
user/password pair and closes it, and answers with an ``Outcome``: accepted,
rejected (a clean "wrong password"), lockout (the server says it is
refusing or throttling), no_password_auth (the service does not take
passwords at all) or error.  Error details are the client library's text
about the exchange; none of the libraries puts the password in an error.
"""

from __future__ import annotations

import ftplib
import socket
from dataclasses import dataclass
from enum import Enum
from typing import Callable

from auditor.http import FetchError, fetch, new_session
from auditor.scope import ScopeGuard


class Result(Enum):
    ACCEPTED = "accepted"
    REJECTED = "rejected"
    LOCKOUT = "lockout"
    NO_PASSWORD_AUTH = "no_password_auth"
    ERROR = "error"


@dataclass(frozen=True)
class Outcome:
    result: Result
    detail: str = ""


@dataclass(frozen=True)
class Endpoint:
    """Where one attempt goes: the checked address and port (and, for a panel, its URL and the scope)."""

    address: str
    port: int
    timeout: float
    url: str | None = None
    scope: ScopeGuard | None = None


def _short(exc: BaseException) -> str:
    return f"{type(exc).__name__}: {str(exc)[:160]}"


def ftp_login(endpoint: Endpoint, user: str, password: str) -> Outcome:
    client = ftplib.FTP(timeout=endpoint.timeout)
    try:
        client.connect(endpoint.address, endpoint.port)
        client.login(user, password)
        return Outcome(Result.ACCEPTED)
    except ftplib.error_perm as exc:  # 530 login incorrect (5xx)
        return Outcome(Result.REJECTED, str(exc)[:120])
    except ftplib.error_temp as exc:  # 421 too many connections / attempts: the server is throttling
        return Outcome(Result.LOCKOUT, str(exc)[:120])
    except (OSError, EOFError, ftplib.Error) as exc:
        return Outcome(Result.ERROR, _short(exc))
    finally:
        client.close()


def ssh_login(endpoint: Endpoint, user: str, password: str) -> Outcome:
    import paramiko  # the client libraries load when a login is tried: ``auditor checks`` starts without them

    try:
        sock = socket.create_connection((endpoint.address, endpoint.port), timeout=endpoint.timeout)
    except OSError as exc:
        return Outcome(Result.ERROR, _short(exc))
    transport = paramiko.Transport(sock)
    transport.banner_timeout = transport.auth_timeout = transport.handshake_timeout = endpoint.timeout
    try:
        transport.start_client(timeout=endpoint.timeout)
        transport.auth_password(user, password)  # falls back to keyboard-interactive with the same password
        return Outcome(Result.ACCEPTED if transport.is_authenticated() else Result.REJECTED)
    except paramiko.BadAuthenticationType as exc:
        if "password" in exc.allowed_types or "keyboard-interactive" in exc.allowed_types:
            return Outcome(Result.REJECTED, "password rejected")
        return Outcome(Result.NO_PASSWORD_AUTH, f"allowed: {', '.join(exc.allowed_types)}")
    except paramiko.AuthenticationException:
        return Outcome(Result.REJECTED, "authentication failed")
    except (paramiko.SSHException, OSError, EOFError) as exc:
        return Outcome(Result.ERROR, _short(exc))
    finally:
        transport.close()
        sock.close()


#: MySQL/MariaDB server errors: access denied, host blocked after too many errors, too many connections.
_MYSQL_DENIED, _MYSQL_BLOCKED, _MYSQL_TOO_MANY = 1045, 1129, 1040


def mysql_login(endpoint: Endpoint, user: str, password: str) -> Outcome:
    import pymysql

    try:
        connection = pymysql.connect(host=endpoint.address, port=endpoint.port, user=user, password=password,
                                     connect_timeout=max(1, int(endpoint.timeout)), read_timeout=endpoint.timeout,
                                     write_timeout=endpoint.timeout)
    except pymysql.err.OperationalError as exc:
        code = exc.args[0] if exc.args else None
        if code == _MYSQL_DENIED:
            return Outcome(Result.REJECTED, "access denied")
        if code in (_MYSQL_BLOCKED, _MYSQL_TOO_MANY):
            return Outcome(Result.LOCKOUT, f"MySQL error {code}")
        return Outcome(Result.ERROR, _short(exc))
    except (pymysql.err.MySQLError, OSError) as exc:
        return Outcome(Result.ERROR, _short(exc))
    connection.close()
    return Outcome(Result.ACCEPTED)


#: SQLSTATEs: invalid password, invalid authorisation (no pg_hba.conf line); a missing database comes after login.
_PG_REJECTED, _PG_NO_DATABASE, _PG_TOO_MANY = ("28P01", "28000"), "3D000", "53300"


def postgresql_login(endpoint: Endpoint, user: str, password: str) -> Outcome:
    import pg8000.dbapi
    import pg8000.exceptions

    try:
        connection = pg8000.dbapi.connect(user=user, password=password, host=endpoint.address, port=endpoint.port,
                                          database="postgres", timeout=endpoint.timeout)
    except pg8000.exceptions.DatabaseError as exc:
        state = exc.args[0].get("C") if exc.args and isinstance(exc.args[0], dict) else None
        if state in _PG_REJECTED:
            return Outcome(Result.REJECTED, f"SQLSTATE {state}")
        if state == _PG_NO_DATABASE:
            return Outcome(Result.ACCEPTED)
        if state == _PG_TOO_MANY:
            return Outcome(Result.LOCKOUT, f"SQLSTATE {state}")
        return Outcome(Result.ERROR, f"SQLSTATE {state}")
    except (pg8000.exceptions.InterfaceError, OSError) as exc:
        return Outcome(Result.ERROR, _short(exc))
    connection.close()
    return Outcome(Result.ACCEPTED)


def basic_auth_login(endpoint: Endpoint, user: str, password: str) -> Outcome:
    """One GET of the panel's URL with HTTP basic credentials, pinned to the checked address, no redirects."""
    from requests.auth import HTTPBasicAuth

    assert endpoint.url is not None and endpoint.scope is not None
    with new_session() as session:
        session.auth = HTTPBasicAuth(user, password)
        try:
            response = fetch(endpoint.url, endpoint.scope, timeout=endpoint.timeout, max_bytes=4096,
                             connect_to=endpoint.address, session=session, follow_redirects=False)
        except FetchError as exc:
            return Outcome(Result.ERROR, str(exc)[:160])
    if response.status == 401:
        return Outcome(Result.REJECTED, "401")
    if response.status in (403, 429):
        return Outcome(Result.LOCKOUT, f"HTTP {response.status}")
    if response.status >= 500:
        return Outcome(Result.ERROR, f"HTTP {response.status}")
    return Outcome(Result.ACCEPTED)


def basic_auth_challenge(endpoint: Endpoint) -> bool:
    """Whether the URL, fetched without credentials, asks for HTTP basic authentication (401 + Basic)."""
    assert endpoint.url is not None and endpoint.scope is not None
    response = fetch(endpoint.url, endpoint.scope, timeout=endpoint.timeout, max_bytes=4096,
                     connect_to=endpoint.address, follow_redirects=False)
    challenge = next((v for k, v in response.headers.items() if k.lower() == "www-authenticate"), "")
    return response.status == 401 and challenge.strip().lower().startswith("basic")


Login = Callable[[Endpoint, str, str], Outcome]

LOGINS: dict[str, Login] = {"ssh": ssh_login, "ftp": ftp_login, "mysql": mysql_login,
                            "postgresql": postgresql_login, "http_basic": basic_auth_login}
