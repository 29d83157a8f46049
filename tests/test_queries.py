"""The SPARQL files in queries/ run on the built graph and answer correctly."""

from __future__ import annotations

from kg import resources


def test_every_query_file_parses_and_runs(graph):
    files = sorted(resources.queries_dir().glob("*.rq"))
    assert files
    for path in files:
        rows = list(graph.query(path.read_text(encoding="utf-8")))
        assert rows, path.name


def test_assistance_query_answers_who_assists_whom(graph):
    query = (resources.queries_dir() / "assistance.rq").read_text(encoding="utf-8")
    rows = {(str(r.providerLabel), str(r.recipientLabel)): r for r in graph.query(query)}
    assert ("Shanghai General Hospital", "Jiuquan People's Hospital") in rows
    cjfh = rows[
        ("China-Japan Friendship Hospital", "Bajiao Street Community Health Service Center")
    ]
    assert str(cjfh.start) == "2016" and str(cjfh.end) == "2019"
    assert "telemedicine" in str(cjfh.kinds)
    assert str(cjfh.agreementLabel).startswith("Working Agreement on Health Promotion")
    assert len(rows) == 7
