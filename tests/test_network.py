"""Link-graph analyses, checked against answers worked out by hand from the five articles."""

from __future__ import annotations

import pytest

from kg.errors import KgError
from kg.network import central, components, find_node, flows, link_graph, neighbors, path, stats


@pytest.fixture(scope="module")
def links(graph):
    return link_graph(graph)


def table(result):
    return [
        dict(zip(result.variables, (None if t is None else str(t) for t in row), strict=True))
        for row in result.rows
    ]


def test_one_node_per_entity_whatever_the_spelling(links):
    for spelling in ("bagou", "Bajiao", "BAGUO", "Bayu Community"):
        assert find_node(links, spelling) == "org/bajiao-chsc"
    assert find_node(links, "First People's Hospital of Shanghai") == (
        "org/shanghai-general-hospital"
    )
    assert find_node(links, "Jiuquan Hospital") == "org/jiuquan-peoples-hospital"


def test_ambiguous_and_unknown_names(links):
    with pytest.raises(KgError) as info:
        find_node(links, "Jinta County People")
    assert "names 2 nodes" in info.value.message
    with pytest.raises(KgError):
        find_node(links, "Atlantis General Hospital")


def test_the_jiuquan_cluster(links):
    rows = table(components(links))
    jiuquan = next(r for r in rows if "Jiuquan People's Hospital" in r["members"])
    assert set(jiuquan["members"].split("; ")) == {
        "Jiuquan People's Hospital",
        "Shanghai General Hospital",
        "Jiuquan Municipal Government",
        "Jinta County People's Hospital",
        "Jinta County Health Bureau",
        "Party Committee of Jiuquan People's Hospital",
        "Jiuquan National Regional Medical Center",
    }


def test_number_of_components(links):
    rows = table(components(links))
    # six linked groups (Beijing-Pinggu-Chifeng, Zibo-Shizhu, CJFH-Lhasa, Jiuquan, the
    # Jiuquan commission and its party group, the Zibo committee and its guidance group)
    # and eight institutions linked to nothing
    assert len(rows) == 14
    assert [int(r["size"]) for r in rows[:6]] == [24, 10, 8, 7, 2, 2]
    summary = {(r["measure"], r["of"]): r["value"] for r in table(stats(links))}
    assert summary[("components", "all")] == "14"
    assert summary[("edges", "assistance")] == "7"


def test_path_from_the_jinta_hospital_to_the_shanghai_hospital(links):
    hops = table(path(links, "Jinta County People's Hospital", "Shanghai General Hospital"))
    # one hop: the Shanghai delegation visited the Jinta hospital on 29 May
    assert len(hops) == 1
    assert hops[0]["link"] == "co-participation"
    assert hops[0]["fact"] == "Visit to Jinta County People's Hospital"
    assert "visited the Jinta County People's Hospital" in hops[0]["quote"]


def test_path_with_a_quote_behind_every_hop(links):
    hops = table(
        path(links, "Party Committee of Jiuquan People's Hospital", "Jinta County Health Bureau")
    )
    assert hops[0]["link"] == "sub-organization"
    assert all(h["quote"] and h["article"] for h in hops)
    with pytest.raises(KgError) as info:
        path(links, "Zibo Third Hospital", "National Health Commission")
    assert "no chain of links" in info.value.message


def test_neighbors_of_the_lhasa_centre(links):
    rows = table(neighbors(links, "bagou"))
    assert {r["nodeLabel"]: r["via"] for r in rows} == {
        "China-Japan Friendship Hospital": "agreement, assistance, co-participation",
        "Medical Alliance of CJFH": "assistance",
        "Chengguan District Health and Family Planning Commission": "co-participation",
        "Health Commission of Tibet Autonomous Region": "co-participation",
    }
    deeper = table(neighbors(links, "bagou", depth=2))
    assert {r["nodeLabel"] for r in deeper if r["distance"] == "2"} >= {
        "CPC Committee of CJFH",
        "Chengguan District",
    }


def test_hubs(links):
    degree = table(central(links, "degree", 3))
    assert degree[0]["nodeLabel"] in {"Beijing Friendship Hospital", "Xiyuan Hospital CACMS"}
    between = table(central(links, "betweenness", 1))
    assert between[0]["nodeLabel"] == (
        "Grass-Roots Health Department of the Beijing Municipal Commission of Health and "
        "Family Planning"
    )
    assert len(table(central(links, "pagerank", 5))) == 5


def test_flows_agree_with_the_sparql_query(links, graph):
    from kg.queries import run_canned
    from kg.store import GraphEngine

    ours = {(r["fromProvince"], r["toProvince"]): int(r["links"]) for r in table(flows(links))}
    sparql = run_canned(GraphEngine(graph), "flows")
    theirs = {(str(r[1]), str(r[3])): int(r[4]) for r in sparql.rows}
    assert ours == theirs
    assert ours[("Beijing", "Tibet Autonomous Region")] == 3


def test_every_edge_keeps_kind_weight_and_sources(links):
    for _, _, data in links.edges(data=True):
        assert data["kind"] and data["weight"] >= 1
        for support in data["supports"]:
            assert support.article.endswith(".txt") and support.quote
    agreement = links.get_edge_data("org/bajiao-chsc", "org/cjfh", key="agreement")
    assert agreement["supports"][0].label.startswith("Working Agreement")


def test_places_and_people_on_request(graph):
    with_both = link_graph(graph, ("places", "people"))
    assert with_both.nodes["person/kan-jinju"]["label"] == "Kan Jinju"
    assert with_both.has_edge("person/kan-jinju", "org/zibo-health-commission", key="post")
    assert with_both.has_edge("org/cjfh", "place/chaoyang-district", key="located-in")
    assert with_both.has_edge("place/chaoyang-district", "place/beijing", key="located-in")
    with pytest.raises(KgError):
        link_graph(graph, ("planets",))


# ---------------------------------------------------------------- from the command line


def cli_json(*args):
    import json

    from click.testing import CliRunner

    from kg.cli import cli

    result = CliRunner().invoke(cli, ["graph", *args, "--format", "json"])
    assert result.exit_code == 0, result.output
    document = json.loads(result.output)
    return [{k: v["value"] for k, v in b.items()} for b in document["results"]["bindings"]]


def test_graph_commands(project):
    stats_rows = {(r["measure"], r["of"]): r["value"] for r in cli_json("stats")}
    assert stats_rows[("components", "all")] == "14"
    assert cli_json("central", "--top", "1", "--measure", "pagerank")[0]["nodeLabel"]
    hops = cli_json("path", "bagou", "Medical Reform and Medical Development Office of CJFH")
    assert [(h["link"], h["toLabel"]) for h in hops] == [
        ("agreement", "China-Japan Friendship Hospital"),
        ("co-participation", "Medical Reform and Medical Development Office of CJFH"),
    ]
    assert all(h["quote"] for h in hops)
    assert {r["nodeLabel"] for r in cli_json("neighbors", "Jiuquan Hospital")} >= {
        "Shanghai General Hospital",
        "Jinta County People's Hospital",
    }
    assert len(cli_json("components")) == 14
    assert len(cli_json("flows")) == 5
    people = {(r["measure"], r["of"]): r["value"] for r in cli_json("stats", "--with", "people")}
    assert people[("nodes", "person: person")] == "15"


def test_graph_errors_are_one_message(project):
    from click.testing import CliRunner

    from kg.cli import cli

    result = CliRunner().invoke(cli, ["graph", "path", "Jinta County People", "bagou"])
    assert result.exit_code == 2
    assert "names 2 nodes" in result.output and "Traceback" not in result.output
    wrong = CliRunner().invoke(cli, ["graph", "stats", "--with", "planets"])
    assert wrong.exit_code == 2 and "unknown node set" in wrong.output


def test_graph_in_a_real_process(project):
    import subprocess
    import sys

    result = subprocess.run(
        [
            sys.executable,
            "-m",
            "kg",
            "graph",
            "path",
            "Jinta County People's Hospital",
            "Shanghai General Hospital",
            "--format",
            "csv",
        ],
        cwd=project,
        capture_output=True,
        text=True,
        timeout=300,
    )
    assert result.returncode == 0, result.stderr
    assert "Visit to Jinta County People's Hospital" in result.stdout
    view = subprocess.run(
        [sys.executable, "-m", "kg", "graph", "view", "-o", "views"],
        cwd=project,
        capture_output=True,
        text=True,
        timeout=300,
    )
    assert view.returncode == 0, view.stderr
    assert len(list((project / "views").iterdir())) == 6


def test_a_node_is_found_by_its_registry_id_and_any_apostrophe(links):
    assert find_node(links, "bajiao-chsc") == "org/bajiao-chsc"
    assert find_node(links, "org/bajiao-chsc") == "org/bajiao-chsc"
    assert find_node(links, "Jiuquan People’s Hospital") == "org/jiuquan-peoples-hospital"
    assert find_node(links, "  jiuquan PEOPLE'S   hospital ") == "org/jiuquan-peoples-hospital"


def test_an_exact_name_wins_over_names_that_contain_it(links):
    """'CJFH' is the hospital's own alt label; the Medical Alliance of CJFH merely contains it."""
    assert find_node(links, "CJFH") == "org/cjfh"


def test_an_unknown_name_suggests_the_closest(links):
    with pytest.raises(KgError) as info:
        find_node(links, "Bajiao Health Centre")
    assert "Bajiao" in (info.value.hint or "")
    assert info.value.exit_code == 2


def test_an_ambiguous_name_lists_the_ids(links):
    with pytest.raises(KgError) as info:
        find_node(links, "Jinta County People")
    assert "org/jinta-county-hospital" in info.value.message
