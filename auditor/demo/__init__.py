"""``auditor demo``: a small office on loopback, scanned end to end."""
