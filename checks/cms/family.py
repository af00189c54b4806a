from auditor.plugin import Family

FAMILY = Family("cms", __file__)
