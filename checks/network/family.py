from auditor.plugin import Family

FAMILY = Family("network", __file__)
