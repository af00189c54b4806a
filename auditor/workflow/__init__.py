"""The auditor's workflow around a scan: authorisation, accepted risks, non-conformities, plan, follow-up.

Each module is a pure step over a ScanRun (or a small validated input file
referenced from the inventory's ``extensions``), so a stored run renders the
same formal report tomorrow as today.
"""
