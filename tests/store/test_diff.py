"""Diff semantics: fixed only when re-checked, new failures, score regressions, and the job gates."""

from __future__ import annotations

from auditor.store.diff import diff, side_of_run
from auditor.store.jobs import keep_and_gate, score_gate


def _diff(before, after):
    return diff(side_of_run(before, "A"), side_of_run(after, "B"))


def test_fixed_new_and_not_rechecked(make_run, finding, score):
    before = make_run([
        finding("net.risky", "files", "fail", "high", "10.0.0.2:21/tcp"),  # disappears, check still ran: fixed
        finding("tls.old", "www", "fail", "medium"),                        # now passes: fixed
        finding("mail.spf", "mail", "warn", "low"),                         # probe errored: not re-checked
        finding("web.hsts", "www", "warn", "low"),                          # warn → fail: new failure
        finding("web.csp", "www", "fail", "low"),                           # still failing
        finding("dns.dnssec", "dom", "pass"),
    ], scores={"kri": score(70.0)})
    after = make_run([
        finding("net.risky", "files", "pass"),
        finding("tls.old", "www", "pass"),
        finding("mail.spf", "mail", "error", "info"),
        finding("web.hsts", "www", "fail", "low"),
        finding("web.csp", "www", "fail", "low"),
        finding("dns.dnssec", "dom", "fail", "critical"),                   # pass → fail: new failure
    ], day=1, scores={"kri": score(65.5)})
    result = _diff(before, after)
    assert [c.row.key for c in result.fixed] == ["net.risky|files|10.0.0.2:21/tcp", "tls.old|www|"]
    assert [c.row.key for c in result.new_failures] == ["dns.dnssec|dom|", "web.hsts|www|"]
    assert [c.row.key for c in result.not_rechecked] == ["mail.spf|mail|"]
    assert result.still_failing == 2
    assert result.scores[0].delta == -4.5 and result.scores[0].lower
    assert len(result.regressions) == 3 and result.regressions[-1] == "score kri fell by 4.5 to 65.5"
    as_json = result.to_dict()
    assert as_json["regressed"] is True
    assert as_json["fixed"][0] == {"key": "net.risky|files|10.0.0.2:21/tcp", "check_id": "net.risky",
                                   "target_id": "files", "subject": "10.0.0.2:21/tcp", "severity": "high",
                                   "before": "fail", "after": None}


def test_target_not_scanned_is_not_fixed(make_run, finding):
    before = make_run([finding("net.risky", "files", "fail", "high", "10.0.0.2:21/tcp")])
    after = make_run([finding("net.risky", "www", "pass")], day=1)
    result = _diff(before, after)
    assert result.fixed == [] and [c.row.key for c in result.not_rechecked] == ["net.risky|files|10.0.0.2:21/tcp"]
    assert result.regressions == []


def test_unchanged_runs_and_empty_scores(make_run, finding):
    findings = [finding("a.b", "h", "fail"), finding("c.d", "h", "pass")]
    result = _diff(make_run(findings), make_run(findings, day=1))
    assert (result.new_failures, result.fixed, result.scores, result.regressions) == ([], [], [], [])
    assert result.still_failing == 1


def test_score_gate(score):
    assert score_gate({"kri": score(80.0), "nis2": score(59.9, title="NIS2")}, 60) == ["score nis2 59.9 < 60"]
    assert score_gate({"kri": score(60.0)}, 60) == []
    assert score_gate({}, 60) == ["no baseline score to compare with --fail-under 60"]
    assert score_gate({"kri": score(None)}, 60) == ["no baseline score to compare with --fail-under 60"]


def test_keep_and_gate_compares_with_previous_snapshot(store_path, make_run, finding, score):
    first = keep_and_gate(make_run([finding("a.b", "h", "pass")], scores={"kri": score(90)}), store_path,
                          fail_on_regression=True)
    assert first.snapshot.id == 1 and first.diff is None and first.failures == []
    second = keep_and_gate(make_run([finding("a.b", "h", "fail")], day=1, scores={"kri": score(85)}), store_path,
                           fail_under=88, fail_on_regression=True)
    assert second.failures == ["score kri 85.0 < 88", "new fail (high): a.b on h", "score kri fell by 5.0 to 85.0"]
    third = keep_and_gate(make_run([finding("a.b", "h", "pass")], day=2, scores={"kri": score(90)}), store_path,
                          fail_on_regression=True)
    assert third.failures == [] and [c.row.key for c in third.diff.fixed] == ["a.b|h|"]
