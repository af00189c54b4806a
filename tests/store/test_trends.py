"""Trend charts are well-formed, self-contained SVG with escaped labels and one chart per baseline."""

from __future__ import annotations

import xml.etree.ElementTree as ET

from auditor.store import Store, trend_svgs

SVG = "{http://www.w3.org/2000/svg}"


def _fill(store_path, make_run, finding, score, days=5):
    with Store(store_path) as store:
        for day in range(days):
            failing = [finding("x.c", f"h{i}", "fail", "critical") for i in range(days - day)]
            scores = {"kri": score(50.0 + 10 * day, 0.5), "evil": score(None if day == 2 else 40.0, title="<script>")}
            store.save(make_run(failing + [finding("x.h", "h0", "fail", "high")], day=day, scores=scores))
        store.save(make_run([], day=days, interrupted=True))  # left out of the trend
        store.save(make_run([finding("x.c", "h", "fail", "critical")], day=days, teryt="999"))  # another office


def test_charts_per_baseline_and_findings(store_path, make_run, finding, score):
    _fill(store_path, make_run, finding, score)
    charts = trend_svgs(store_path, "teryt:0201011", lang="en")
    assert list(charts) == ["score:evil", "score:kri", "findings"]
    for svg in charts.values():
        root = ET.fromstring(svg)  # well-formed XML
        assert root.tag == f"{SVG}svg"
        assert "<script" not in svg and "http" not in svg.replace("http://www.w3.org/2000/svg", "")
    kri = ET.fromstring(charts["score:kri"])
    assert kri.find(f"{SVG}title").text == "KRI: score and coverage (%)"
    score_line, coverage_line = kri.findall(f"{SVG}polyline")
    ys = [float(p.split(",")[1]) for p in score_line.get("points").split()]
    assert len(ys) == 5 and ys == sorted(ys, reverse=True)  # rising score is drawn upwards
    assert len({p.split(",")[1] for p in coverage_line.get("points").split()}) == 1  # flat 50 % coverage
    assert "&lt;script&gt;" in charts["score:evil"]
    assert len(ET.fromstring(charts["score:evil"]).findall(f"{SVG}polyline")) == 3  # score gap splits the line
    findings = ET.fromstring(charts["findings"])
    critical = findings.findall(f"{SVG}polyline")[0]
    assert len(critical.get("points").split()) == 5
    markers = [c.find(f"{SVG}title").text for c in findings.findall(f"{SVG}circle")]
    assert markers[0].startswith("critical ") and markers[0].endswith(": 5")  # 5 critical failures on day 0
    assert markers[5].startswith("high ") and markers[5].endswith(": 1")


def test_default_series_and_empty_store(store_path, make_run, finding, score):
    with Store(store_path) as store:
        assert trend_svgs(store) == {}
    _fill(store_path, make_run, finding, score, days=2)
    charts = trend_svgs(store_path)  # the office of the latest snapshot: the other one, without scores
    assert list(charts) == ["findings"]
    assert "Otwarte niezgodności krytyczne i wysokie" in charts["findings"]


def test_until_and_limit(store_path, make_run, finding, score):
    _fill(store_path, make_run, finding, score)
    with Store(store_path) as store:
        third = store.snapshots("teryt:0201011")[2]
        charts = trend_svgs(store, "teryt:0201011", until=third.started)
        assert len(ET.fromstring(charts["findings"]).findall(f"{SVG}circle")) == 2 * 3  # two lines, days 0-2
        charts = trend_svgs(store, "teryt:0201011", until=third.started, limit=2)
        assert len(ET.fromstring(charts["findings"]).findall(f"{SVG}circle")) == 2 * 2
