"""``auditor discover``: propose hosts for the inventory from CT logs and the office's DNS — nothing is scanned."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import click
import yaml

from auditor.cli import main, run_command
from auditor.i18n import N_, _
from auditor.cli.scan_cmd import write_atomically
from auditor.discovery import CT_URL, classify, discover
from auditor.errors import ExitCode
from auditor.inventory import load_inventory
from auditor.model import utcnow
from auditor.settings import local_time, office_zone

#: crt.sh answers are one JSON array; a very large one is cut off rather than read into memory unbounded.
MAX_CT_BYTES = 20 * 2**20

HEADER = """# Propozycja uzupełnienia inwentarza — wygenerowana przez `auditor discover` {when}.
# Nic nie zostało przeskanowane: nazwy pochodzą z rejestrów Certificate Transparency i z DNS urzędu.
# proposed: w autoryzowanym zakresie, ale nie ma ich jeszcze w inwentarzu — sprawdź i przenieś do `hosts:`.
# out_of_scope: poza zakresem (powód w `why`) — nie będą skanowane, dopóki zakres ich nie obejmie.
# Draft for the inventory written by `auditor discover`; nothing was scanned.
"""


def fetch_json(url: str, timeout: float) -> Any:
    """crt.sh (or a mirror) through the one bounded fetch for declared external sources (deadline, size cap)."""
    import json

    from auditor.http import fetch_external

    answer = fetch_external(url, timeout=timeout, max_bytes=MAX_CT_BYTES)
    if answer.status != 200:
        raise ValueError(f"HTTP {answer.status}")
    if answer.truncated:
        raise ValueError(f"answer larger than {MAX_CT_BYTES} bytes")
    return json.loads(answer.body)


@main.command("discover", help=N_("Propose hosts for INVENTORY from CT logs and DNS (NS, MX, SRV, common names, PTR, AXFR); scans nothing."))
@click.argument("inventory", type=click.Path(path_type=Path))
@click.option("-o", "--output", type=click.Path(path_type=Path), default=Path("odkryte.yaml"), show_default=True,
              help=N_("The draft: proposed hosts, known ones, out-of-scope names, zone transfers, dangling CNAMEs."))
@click.option("--offline", is_flag=True, help=N_("Skip the public Certificate Transparency source (DNS only)."))
@click.option("--ct-url", default=CT_URL, show_default=True, help=N_("Certificate Transparency JSON source ({domain})."))
def discover_command(inventory: Path, output: Path, offline: bool, ct_url: str) -> None:

    def body() -> ExitCode:
        loaded = load_inventory(inventory)
        timeout = float(loaded.settings.get("timeout", 30))
        found = discover(loaded, fetch=None if offline else fetch_json, timeout=timeout, ct_url=ct_url)
        sorted_names = classify(found, loaded)
        draft = {**sorted_names, "zone_transfers": found.zone_transfers, "dangling_cnames": found.dangling,
                 "errors": found.errors}
        write_atomically(output, HEADER.format(when=local_time(utcnow(), office_zone(loaded.settings)))
                         + yaml.safe_dump(draft, allow_unicode=True, sort_keys=False))
        opened = [z for z in found.zone_transfers if z["open"]]
        click.echo(_("proposed: {proposed} · known: {known} · out of scope: {out} · open zone transfers: {zones} · "
                     "dangling CNAMEs: {dangling} → {path}").format(
            proposed=len(sorted_names["proposed"]), known=len(sorted_names["known"]),
            out=len(sorted_names["out_of_scope"]), zones=len(opened), dangling=len(found.dangling), path=output))
        for zone in opened:
            click.echo(_("OPEN ZONE TRANSFER: {domain} from {ns} ({address})").format(**zone), err=True)
        for item in found.dangling:
            click.echo(_("DANGLING CNAME: {name} → {cname}").format(**item), err=True)
        return ExitCode.OK

    raise SystemExit(run_command(body))
