"""``--dask-tls-ca/-cert/-key``: the certificates of a TLS-secured Dask cluster, shared by scan and fleet."""

from __future__ import annotations

import functools
from pathlib import Path
from typing import Any, Callable

import click

from auditor.executors import DaskTls
from auditor.i18n import N_, _

_OPTIONS = (
    ("ca", N_("CA certificate (PEM) that signed the scheduler's and the workers' certificates.")),
    ("cert", N_("This scanner's client certificate (PEM) for a TLS-secured Dask cluster.")),
    ("key", N_("The private key (PEM) of --dask-tls-cert.")),
)


def dask_tls_options(command: Callable[..., Any]) -> Callable[..., Any]:
    """Adds the three options; the command receives one ``dask_tls`` (``None`` when none is given)."""

    @functools.wraps(command)
    def combined(*args: Any, dask_tls_ca: Path | None, dask_tls_cert: Path | None, dask_tls_key: Path | None,
                 **kwargs: Any) -> Any:
        files = (dask_tls_ca, dask_tls_cert, dask_tls_key)
        if any(files) and not all(files):
            raise click.UsageError(_("give all three of --dask-tls-ca, --dask-tls-cert and --dask-tls-key"))
        tls = DaskTls(*files) if all(files) else None  # type: ignore[arg-type]
        return command(*args, dask_tls=tls, **kwargs)

    decorated: Callable[..., Any] = combined
    for name, text in reversed(_OPTIONS):
        decorated = click.option(f"--dask-tls-{name}", f"dask_tls_{name}", type=click.Path(path_type=Path),
                                 help=text)(decorated)
    return decorated
