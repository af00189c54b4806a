from auditor.plugin import Family

FAMILY = Family("mail_dns", __file__)
