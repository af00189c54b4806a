"""The short list of default credentials (``baselines/data/default_credentials.yaml``), validated on load.

Validated so the list cannot quietly grow into a dictionary: at most ten
pairs per service, only services an authorisation can name, each pair with
its source.  The passwords are read here, on the machine running the probe,
and go nowhere but into the login attempt itself.
"""

from __future__ import annotations

from functools import lru_cache
from importlib.resources import files
from typing import Literal

from pydantic import BaseModel, ConfigDict, Field, field_validator

from auditor.workflow.authorisation import CREDENTIAL_SERVICES
from auditor.yamlfile import load_shipped

#: Never more pairs than this per service (the settings' ``credential_max_attempts`` is bounded by it too).
MAX_PAIRS = 10


class Pair(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)
    user: str = Field(min_length=1, max_length=64)
    password: str = Field(max_length=64, repr=False)
    vendor: str = Field(min_length=1)
    source: str = Field(min_length=1)
    verified: Literal["checked", "secondary", "not re-checked"]


class CredentialList(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)
    updated: str
    services: dict[str, tuple[Pair, ...]]
    panel_paths: tuple[str, ...] = Field(min_length=1, max_length=8)

    @field_validator("services")
    @classmethod
    def _short(cls, value: dict[str, tuple[Pair, ...]]) -> dict[str, tuple[Pair, ...]]:
        for service, pairs in value.items():
            if service not in CREDENTIAL_SERVICES:
                raise ValueError(f"unknown service {service!r}; known: {', '.join(CREDENTIAL_SERVICES)}")
            if not 1 <= len(pairs) <= MAX_PAIRS:
                raise ValueError(f"{service}: 1 to {MAX_PAIRS} pairs (a short list, not a dictionary)")
        return value


@lru_cache(maxsize=1)
def credential_list() -> CredentialList:
    text = files("auditor.baselines").joinpath("data/default_credentials.yaml").read_text(encoding="utf-8")
    return CredentialList.model_validate(load_shipped(text))


def pairs(service: str) -> tuple[Pair, ...]:
    return credential_list().services.get(service, ())
