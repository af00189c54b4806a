from typing import Any, Mapping

from auditor.plugin import Family
from auditor.settings import CredentialSettings


def _data_versions(settings: Mapping[str, Any]) -> Mapping[str, str]:
    from auditor.checks.credentials.data import credential_list

    return {"default_credentials": credential_list().updated}


FAMILY = Family("credentials", __file__, settings=CredentialSettings, intrusive=True, data_versions=_data_versions)
