"""Debian weak SSH keys (CVE-2008-0166): a sample in openssh-blacklist format (see SOURCE.yaml)."""
