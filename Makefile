# One command to set everything up and run the demo, one for the tests.
# Works on a fresh Debian/Ubuntu machine: system tools are installed with
# apt-get when missing (as root, or through sudo).

PYTHON ?= python3
VENV   ?= .venv
BIN    := $(VENV)/bin
APT_PACKAGES := nmap openssl nginx restic borgbackup openssh-server openssh-client \
                chromium poppler-utils sslscan testssl.sh sqlite3 \
                libpango-1.0-0 libpangoft2-1.0-0 fonts-dejavu-core \
                samba smbclient xrdp bind9 bind9-utils unbound postfix dovecot-imapd opendkim opendkim-tools ssh-audit \
                mariadb-server postgresql
# command -> package, to decide whether apt-get is needed at all
TOOLS := nmap:nmap openssl:openssl nginx:nginx restic:restic borg:borgbackup sshd:openssh-server ssh-keyscan:openssh-client \
         chromium:chromium pdftoppm:poppler-utils sslscan:sslscan testssl:testssl.sh sqlite3:sqlite3 \
         smbd:samba smbclient:smbclient xrdp:xrdp named:bind9 dnssec-signzone:bind9-utils unbound:unbound \
         postfix:postfix dovecot:dovecot-imapd opendkim:opendkim opendkim-genkey:opendkim-tools ssh-audit:ssh-audit \
         mariadbd:mariadb-server pg_ctlcluster:postgresql

.PHONY: setup system-tools venv demo test typecheck test-fast bench mutation clean i18n

setup: system-tools venv

system-tools:
	@missing=""; for pair in $(TOOLS); do cmd=$${pair%%:*}; \
	  command -v $$cmd >/dev/null 2>&1 || [ -x /usr/sbin/$$cmd ] || missing="$$missing $${pair#*:}"; done; \
	if [ -n "$$missing" ]; then \
	  echo "installing system tools:$$missing"; \
	  SUDO=$$( [ "$$(id -u)" = 0 ] || echo sudo ); \
	  $$SUDO apt-get update -qq && \
	  echo "postfix postfix/main_mailer_type select No configuration" | $$SUDO debconf-set-selections && \
	  DEBIAN_FRONTEND=noninteractive $$SUDO apt-get install -y -qq --no-install-recommends $(APT_PACKAGES) >/dev/null; \
	fi

$(BIN)/auditor: pyproject.toml setup.py
	$(PYTHON) -m venv $(VENV)
	$(BIN)/pip install -q --upgrade pip
	$(BIN)/pip install -q -e '.[test]'
	@touch $@

venv: $(BIN)/auditor

demo: setup
	$(BIN)/auditor demo

test: setup typecheck
	$(BIN)/pytest -q -p no:cacheprovider

# Mutation testing of the scope guard, judge, scoring and accepted risks (config: [tool.mutmut] in
# pyproject.toml).  Not part of `make test`: ~8 min on 2 cores.  Lists surviving mutants at the end.
mutation: setup
	$(BIN)/pip install -q 'mutmut==3.8.1'
	rm -rf mutants
	$(BIN)/mutmut run; $(BIN)/mutmut results

# The command line's gettext catalogue (auditor/i18n.py): extract the messages of auditor and of click
# into auditor/locale/auditor.pot, merge them into the Polish .po (translate the new, empty entries:
# tests/core/test_i18n_catalogue.py fails until every one is), compile the .mo that is committed and shipped.
LOCALE := auditor/locale
i18n: venv
	$(BIN)/pybabel -q extract -F babel.cfg --no-location --sort-output --project=auditor --version=catalogue \
	  --copyright-holder=auditor -o $(LOCALE)/auditor.pot auditor \
	  "$$($(BIN)/python -c 'import click, os; print(os.path.dirname(click.__file__))')"
	$(BIN)/pybabel -q update -i $(LOCALE)/auditor.pot -d $(LOCALE) -D auditor --no-fuzzy-matching --ignore-obsolete
	$(BIN)/pybabel -q compile -d $(LOCALE) -D auditor --statistics

# the typed core (model, analysis, scoring, pipeline, workflow, renderers): pyproject [tool.mypy]
typecheck: venv
	$(BIN)/mypy

bench: setup
	$(BIN)/python bench/run.py

clean:
	rm -rf $(VENV) build *.egg-info auditor-demo
