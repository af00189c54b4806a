from pydantic import Field

from auditor.plugin import Family
from auditor.settings import SettingsModel


class MailDnsSettings(SettingsModel):
    mta_sts_port: int | None = Field(default=None, ge=1, le=65535)
    smtp_port: int | None = Field(default=None, ge=1, le=65535)
    """Where the MX hosts' SMTP is asked for STARTTLS (default 25; a test lab's high port)."""


FAMILY = Family("mail_dns", __file__, settings=MailDnsSettings)
