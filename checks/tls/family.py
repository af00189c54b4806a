from auditor.plugin import Family

FAMILY = Family("tls", __file__)
