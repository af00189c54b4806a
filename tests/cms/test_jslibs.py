"""retire.js-format extractors and ranges on the URL forms JST sites really use."""

from __future__ import annotations

import pytest

from auditor.checks.cms.jslibs import Library, identify, vulnerabilities


@pytest.mark.parametrize("url, expected", [
    ("https://code.jquery.com/jquery-3.4.1.min.js", ("jquery", "3.4.1")),
    ("/wp-includes/js/jquery/jquery.min.js?ver=3.5.1", ("jquery", "3.5.1")),
    ("https://ajax.googleapis.com/ajax/libs/jquery/1.12.4/jquery.min.js", ("jquery", "1.12.4")),
    ("https://cdn.jsdelivr.net/npm/bootstrap@4.3.1/dist/js/bootstrap.bundle.min.js", None),
    ("https://maxcdn.bootstrapcdn.com/bootstrap/3.3.7/js/bootstrap.min.js", ("bootstrap", "3.3.7")),
    ("/static/js/app.min.js?ver=2.1", None),
])
def test_identify(url, expected) -> None:
    found = identify(url)
    assert ((found.name, found.version) if found else None) == expected


@pytest.mark.parametrize("version, cves", [
    ("3.4.1", {"CVE-2020-11022", "CVE-2020-11023"}),
    ("3.5.0", set()),          # the boundary: "below 3.5.0" does not include 3.5.0
    ("3.3.9", {"CVE-2020-11022", "CVE-2020-11023", "CVE-2019-11358"}),
    ("1.1.4", {"CVE-2020-11023", "CVE-2019-11358", "CVE-2012-6708"}),  # below 1.2: not CVE-2020-11022
])
def test_ranges(version, cves) -> None:
    found = {c for entry in vulnerabilities(Library("jquery", version, "x")) for c in entry["identifiers"]["CVE"]}
    assert found == cves
