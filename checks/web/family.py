from auditor.plugin import Family

FAMILY = Family("web", __file__)
