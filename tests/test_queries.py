"""The canned queries answer the articles' questions; parameters match any label, safely."""

from __future__ import annotations

from pathlib import Path

import pytest

from kg import resources
from kg.errors import KgError
from kg.parameters import ParameterError
from kg.queries import catalog, read_canned, run, run_canned
from kg.store import GraphEngine

ROOT = Path(__file__).resolve().parent.parent
EXPECTED = {
    "institutions",
    "assistance",
    "agreements",
    "roles",
    "events",
    "participants",
    "measures",
    "aliases",
    "evidence",
    "flows",
}


@pytest.fixture(scope="module")
def engine(graph):
    return GraphEngine(graph)


def rows(engine, name, **params):
    result = run_canned(engine, name, params)
    return [
        dict(zip(result.variables, (None if t is None else str(t) for t in row), strict=True))
        for row in result.rows
    ]


def test_the_catalog_has_every_query_with_a_description():
    queries = catalog()
    assert set(queries) >= EXPECTED
    for query in queries.values():
        assert query.description, query.name
        assert query.path.parent == resources.queries_dir()


def test_first_column_is_the_subject_and_entities_carry_labels_beside(engine):
    for name in catalog():
        result = run_canned(engine, name)
        assert result.rows, name
        for index, var in enumerate(result.variables):
            if var.endswith("Label") and var[:-5] in result.variables:
                assert result.variables[index - 1] == var[:-5], (name, var)


def test_who_assists_the_jiuquan_hospital(engine):
    found = rows(engine, "assistance", recipient="jiuquan people")
    assert [r["providerLabel"] for r in found] == ["Shanghai General Hospital"]
    assert "clinical services" in found[0]["kinds"]
    assert found[0]["agreementLabel"].startswith("Joint project")


def test_recipient_matches_every_spelling_of_the_lhasa_centre(engine):
    by_spelling = {
        spelling: {r["assistance"] for r in rows(engine, "assistance", recipient=spelling)}
        for spelling in ("bagou", "Bajiao", "BAGUO", "bayu")
    }
    first = by_spelling["bagou"]
    assert len(first) == 2
    assert all(found == first for found in by_spelling.values())


def test_person_matches_renderings_and_chinese(engine):
    chinese = rows(engine, "roles", person="阚金菊")
    wu = rows(engine, "roles", person="wu jinju")
    assert chinese == wu
    assert {(r["roleLabel"], r["organizationLabel"]) for r in chinese} == {
        ("Deputy Director", "Zibo Municipal Health Commission"),
        ("Member of the Party Group", "Party Group of Zibo Municipal Health Commission"),
    }


def test_posts_at_the_china_japan_friendship_hospital(engine):
    found = rows(engine, "roles", organization="China-Japan Friendship")
    assert [(r["personLabel"], r["post"], r["statedOn"]) for r in found] == [
        ("Sun Yang", "President", "2018-12-31")
    ]


def test_ambiguous_roles_show_their_note(engine):
    found = [r for r in rows(engine, "roles", person="Zhang Tingsheng") if r["ambiguous"]]
    assert [r["post"] for r in found] == ["Director"]
    assert "does not say" in found[0]["note"]


def test_institutions_by_kind_and_place(engine):
    hospitals = rows(engine, "institutions", type="hospital")
    assert len(hospitals) == 12
    assert {r["kindLabel"] for r in hospitals} == {"hospital"}
    in_beijing = {r["institutionLabel"] for r in rows(engine, "institutions", place="beijing")}
    assert "China-Japan Friendship Hospital" in in_beijing  # in Chaoyang District, Beijing
    assert "Jiuquan People's Hospital" not in in_beijing
    gansu = rows(engine, "institutions", place="Gansu", type="hospital")
    assert {r["institutionLabel"] for r in gansu} == {
        "Jiuquan People's Hospital",
        "Jinta County People's Hospital",
    }
    assert {r["provinceLabel"] for r in gansu} == {"Gansu"}


def test_agreements(engine):
    found = {r["agreementLabel"]: r for r in rows(engine, "agreements")}
    assert len(found) == 3
    working = found["Working Agreement on Health Promotion in Poverty Alleviation for 2019"]
    assert working["parties"] == (
        "Bajiao Street Community Health Service Center; China-Japan Friendship Hospital"
    )
    assert working["signed"] == "2018-12-21"


def test_events_in_date_order_with_partial_and_inferred_dates(engine):
    events = rows(engine, "events")
    assert len(events) == 16
    dated = [e["inferredDate"] or e["date"] for e in events if e["date"]]
    assert dated == sorted(dated)
    symposium = next(e for e in events if e["kindLabel"] == "symposium" and e["date"] == "--08-08")
    assert symposium["inferredDate"] == "2018-08-08"
    assert "19th National Congress" in symposium["dateInference"]
    assert [e["date"] for e in events[-3:]] == [None, None, None]  # undated last
    in_2023 = rows(engine, "events", **{"from": "2023", "to": "2023"})
    assert len(in_2023) == 4
    in_jinta = rows(engine, "events", place="jinta")
    assert [e["eventLabel"] for e in in_jinta] == ["Visit to Jinta County People's Hospital"]


def test_participants_of_the_signing(engine):
    found = rows(engine, "participants", event="signing ceremony")
    people = {r["participantLabel"] for r in found if r["participantType"] == "person"}
    assert people == {
        "Sun Yang",
        "Hu Xuejun",
        "Zhaxi Deji",
        "Nima Cangjie",
        "Tang Xiaojun",
        "Wang Kai",
        "Jia Cunbo",
    }
    organizers = {r["participantLabel"] for r in found if r["part"] == "organizer"}
    assert organizers == {
        "China-Japan Friendship Hospital",
        "Bajiao Street Community Health Service Center",
    }


def test_measures_about_the_jiuquan_assistance(engine):
    found = {r["unit"]: r for r in rows(engine, "measures", about="jiuquan people")}
    assert found["surgeries"]["value"] == "268"
    assert found["patients"]["value"] == "3600"
    assert found["patients"]["qualifierLabel"] == "more than"


def test_aliases_show_where_each_variant_occurs(engine):
    found = rows(engine, "aliases", entity="jinju")
    seen = {(r["variant"], r["labelKind"], r["occurrences"]) for r in found}
    assert ("Wu Jinju", "hidden (misspelling)", "2") in seen
    assert ("Tong Jinju", "hidden (misspelling)", "1") in seen
    assert ("阚金菊", "preferred", "1") in seen
    assert ("Kan Jinju", "preferred", None) in seen  # the pinyin is not in the article


def test_evidence_quotes_and_offsets(engine, built):
    texts = {a.file: a.text for a in built.articles}
    found = rows(engine, "evidence", about="Jiuquan People's Hospital")
    assert any(r["quote"] == "aiding with 268 surgeries" for r in found)
    for r in found:
        assert texts[r["articleLabel"]][int(r["start"]) : int(r["end"])] == r["quote"]


def test_flows_from_east_to_west(engine):
    found = {
        (r["providerRegionLabel"], r["recipientRegionLabel"]): int(r["relationships"])
        for r in rows(engine, "flows")
    }
    assert found == {
        ("Beijing", "Tibet Autonomous Region"): 3,
        ("Beijing", "Inner Mongolia Autonomous Region"): 1,
        ("Shanghai", "Gansu"): 1,
        ("Shandong", "Chongqing"): 1,
        ("Shandong", "Shandong"): 1,
    }


def test_parameters_are_terms_not_query_text(engine):
    size = len(engine.graph)
    for hostile in ('x" } ; DROP ALL #', "') } UNION { ?s ?p ?o } #", '\\" }'):
        with pytest.raises(ParameterError) as info:
            rows(engine, "assistance", recipient=hostile)
        assert "names no organization or place" in info.value.message
    assert len(engine.graph) == size


def test_unknown_query_and_parameter(engine):
    with pytest.raises(KgError) as info:
        run_canned(engine, "assistence")
    assert "did you mean 'assistance'" in info.value.hint
    with pytest.raises(KgError) as info:
        run_canned(engine, "assistance", {"reciever": "x"})
    assert "provider, recipient" in info.value.hint


def test_query_header_is_read(tmp_path):
    path = tmp_path / "q.rq"
    path.write_text(
        "# name: demo\n# description: A demo.\n# param: year=2019 The year.\n"
        "SELECT * WHERE { ?s ?p ?o }\n"
    )
    query = read_canned(path)
    assert (query.name, query.description) == ("demo", "A demo.")
    assert [(p.name, p.default, p.description) for p in query.parameters] == [
        ("year", "2019", "The year.")
    ]


def test_ask_and_construct(engine):
    ask = run(engine, "ASK { ?s a <http://www.w3.org/ns/org#Organization> }")
    assert ask.kind == "ASK" and ask.boolean is True
    construct = run(engine, "CONSTRUCT { ?s a ?c } WHERE { ?s a ?c } LIMIT 5")
    assert construct.kind == "CONSTRUCT" and len(construct.graph) == 5


# ---------------------------------------------------------------- parameters say what they matched


def test_a_registry_id_works_wherever_a_name_does(engine):
    by_id = rows(engine, "assistance", provider="cjfh")
    by_name = rows(engine, "assistance", provider="China-Japan Friendship Hospital")
    assert by_id == by_name and by_id
    assert {r["providerLabel"] for r in by_id} == {"China-Japan Friendship Hospital"}
    assert rows(engine, "roles", person="kan-jinju") == rows(engine, "roles", person="阚金菊")


def test_an_exact_name_wins_over_a_substring(engine):
    """'CJFH' is China-Japan Friendship Hospital's own alt label; the Medical Alliance of CJFH
    only contains it."""
    result = run_canned(engine, "assistance", {"provider": "CJFH"})
    providers = {str(row[result.variables.index("providerLabel")]) for row in result.rows}
    assert providers == {"China-Japan Friendship Hospital"}
    assert result.notes == []


def test_case_spacing_and_apostrophes_do_not_matter(engine):
    curly = rows(engine, "assistance", recipient="jiuquan  people’s HOSPITAL")
    assert [r["providerLabel"] for r in curly] == ["Shanghai General Hospital"]


def test_several_matches_are_named_in_a_note(engine):
    result = run_canned(engine, "roles", {"organization": "jiuquan"})
    assert result.rows
    (note,) = result.notes
    assert "by part of a name" in note
    assert "Jiuquan People's Hospital (org/jiuquan-peoples-hospital)" in note


def test_a_place_as_recipient_means_the_recipients_in_it(engine):
    found = rows(engine, "assistance", recipient="Gansu")
    assert [(r["providerLabel"], r["recipientLabel"]) for r in found] == [
        ("Shanghai General Hospital", "Jiuquan People's Hospital")
    ]


@pytest.mark.parametrize(
    ("query", "params", "expected"),
    [
        ("assistance", {"provider": "Atlantis General Hospital"}, "names no organization"),
        ("roles", {"person": "Jinju Wu Kan Tong"}, "names no person"),
        ("events", {"from": "2019-13-01"}, "is not a date"),
        ("events", {"to": "2019-02-30"}, "is not a date"),
        ("events", {"from": "last year"}, "is not a date"),
        ("institutions", {"type": "clinic"}, "names no institution-kind"),
        ("participants", {"event": "moon landing"}, "names no event"),
    ],
)
def test_a_value_that_names_nothing_is_an_error(engine, query, params, expected):
    with pytest.raises(ParameterError) as info:
        run_canned(engine, query, params)
    assert expected in info.value.message
    assert info.value.exit_code == 2
    assert info.value.hint


def test_no_match_suggests_the_closest_names(engine):
    with pytest.raises(ParameterError) as info:
        run_canned(engine, "assistance", {"recipient": "Bajiao Health Centre"})
    assert "Bajiao" in info.value.hint
    with pytest.raises(ParameterError) as info:
        run_canned(engine, "institutions", {"type": "hosptial"})
    assert "did you mean 'hospital'" in info.value.hint
    assert "health-commission" in info.value.hint  # the allowed values, listed whole


def test_every_parameter_declares_its_kind_and_every_name_kind_resolves(engine):
    from kg.parameters import NAME_KINDS, candidates

    for query in catalog().values():
        for parameter in query.parameters:
            assert parameter.kind != "text", (query.name, parameter.name)
            for kind in parameter.kinds():
                if kind in NAME_KINDS:
                    assert candidates([kind], engine), (query.name, kind)
