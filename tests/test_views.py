"""Views of the link graph, checked as a person would: files, pictures, and a real browser."""

from __future__ import annotations

import os
import re
import shutil
import xml.etree.ElementTree as ET
from pathlib import Path

import networkx as nx
import pytest
from helpers import FIVE_ARTICLES

from kg.network import link_graph
from kg.views import flat, write_views

ROOT = Path(__file__).resolve().parent.parent
CHROMIUM, CHROMEDRIVER = Path("/usr/bin/chromium"), Path("/usr/bin/chromedriver")


@pytest.fixture(scope="module")
def links(graph):
    return link_graph(graph)


@pytest.fixture(scope="module")
def views(links, tmp_path_factory):
    out = tmp_path_factory.mktemp("graph")
    write_views(links, out)
    return out


def test_every_view_is_written(views):
    names = sorted(p.name for p in views.iterdir())
    assert names == [
        f"institutions.{x}" for x in sorted(["html", "svg", "png", "graphml", "gexf", "dot"])
    ]


def test_views_are_deterministic(links, views, tmp_path):
    write_views(links, tmp_path)
    for path in views.iterdir():
        assert (tmp_path / path.name).read_bytes() == path.read_bytes(), path.name


def test_png_has_size_and_content(views):
    from PIL import Image

    image = Image.open(views / "institutions.png").convert("L")
    assert image.width >= 1200 and image.height >= 800
    histogram = image.histogram()
    dark = sum(histogram[:200])  # pixels clearly darker than the white background
    assert dark > 0.01 * image.width * image.height


def test_svg_has_legend_and_labels(views):
    svg = (views / "institutions.svg").read_text(encoding="utf-8")
    assert svg.startswith("<?xml")
    for text in ("institution kind", "link kind", "assistance"):
        assert text in svg


def test_graphml_and_gexf_read_back_the_same_graph(links, views):
    expected = flat(links)
    for name, reader in (
        ("institutions.graphml", nx.read_graphml),
        ("institutions.gexf", nx.read_gexf),
    ):
        back = reader(views / name)
        assert set(back.nodes) == set(expected.nodes), name
        assert back.number_of_edges() == expected.number_of_edges(), name
        assert back.nodes["org/bajiao-chsc"]["label"] == (
            "Bajiao Street Community Health Service Center"
        )
        kinds = sorted(d["kind"] for _, _, d in back.edges(data=True))
        assert kinds == sorted(d["kind"] for _, _, d in expected.edges(data=True)), name
        quotes = [
            d["quotes"]
            for a, b, d in back.edges(data=True)
            if {a, b} == {"org/shanghai-general-hospital", "org/jiuquan-peoples-hospital"}
            and d["kind"] == "assistance"
        ]
        assert quotes and "268 surgeries" in quotes[0]


GRAPHML = "{http://graphml.graphdrawing.org/xmlns}"
GEXF = "{http://www.gexf.net/1.2draft}"


def expected_edges(links) -> list[tuple]:
    """Every link as (source, target, kind, directed, weight, facts, articles, quotes)."""
    return sorted(
        (
            a,
            b,
            d["kind"],
            bool(d["directed"]),
            int(d["weight"]),
            " | ".join(s.label for s in d["supports"]),
            " | ".join(sorted({s.article for s in d["supports"]})),
            " | ".join(s.quote for s in d["supports"]),
        )
        for a, b, d in links.edges(data=True)
    )


def read_graphml_by_id(path: Path) -> tuple[dict, dict, dict]:
    """Nodes and edges keyed by their id, as Gephi's importer keys them: a repeated id is
    dropped. Data values are the raw text, keyed by attribute name."""
    root = ET.parse(path).getroot()
    names = {k.get("id"): k.get("attr.name") for k in root.iter(GRAPHML + "key")}
    types = {k.get("attr.name"): k.get("attr.type") for k in root.iter(GRAPHML + "key")}

    def data(element) -> dict[str, str]:
        return {names[d.get("key")]: d.text or "" for d in element.findall(GRAPHML + "data")}

    nodes = {n.get("id"): data(n) for n in root.iter(GRAPHML + "node")}
    edges: dict[str, dict] = {}
    for e in root.iter(GRAPHML + "edge"):
        edges.setdefault(
            e.get("id"), {"source": e.get("source"), "target": e.get("target"), **data(e)}
        )
    return nodes, edges, types


def read_gexf_by_id(path: Path) -> tuple[dict, dict]:
    root = ET.parse(path).getroot()
    titles = {a.get("id"): a.get("title") for a in root.iter(GEXF + "attribute")}

    def data(element) -> dict[str, str]:
        values = {titles[v.get("for")]: v.get("value") for v in element.iter(GEXF + "attvalue")}
        return {**values, **{k: v for k, v in element.attrib.items() if k != "id"}}

    nodes = {n.get("id"): data(n) for n in root.iter(GEXF + "node")}
    edges: dict[str, dict] = {}
    for e in root.iter(GEXF + "edge"):
        edges.setdefault(e.get("id"), data(e))
    return nodes, edges


def test_graphml_edge_ids_are_unique(links, views):
    root = ET.parse(views / "institutions.graphml").getroot()
    ids = [e.get("id") for e in root.iter(GRAPHML + "edge")]
    assert len(ids) == links.number_of_edges()
    assert len(set(ids)) == len(ids), "Gephi keeps one edge per id"
    assert all(ids)


def test_graphml_booleans_are_lowercase(views):
    root = ET.parse(views / "institutions.graphml").getroot()
    boolean_keys = {
        k.get("id"): k.get("attr.name")
        for k in root.iter(GRAPHML + "key")
        if k.get("attr.type") == "boolean"
    }
    assert set(boolean_keys.values()) == {"directed"}
    values = [d.text for d in root.iter(GRAPHML + "data") if d.get("key") in boolean_keys]
    assert set(values) == {"true", "false"}  # the XSD lexical form, not Python's True/False


def test_graphml_and_gexf_carry_every_node_edge_and_attribute(links, views):
    """Read the way Gephi reads, by id, and compare with the link graph itself."""
    want_nodes = {n: {k: str(v) for k, v in d.items()} for n, d in links.nodes(data=True)}
    want_edges = expected_edges(links)

    nodes, edges, types = read_graphml_by_id(views / "institutions.graphml")
    assert nodes == want_nodes
    assert len(edges) == links.number_of_edges()
    assert types["weight"] in {"int", "long"} and types["directed"] == "boolean"
    got = sorted(
        (
            e["source"],
            e["target"],
            e["kind"],
            {"true": True, "false": False}[e["directed"]],
            int(e["weight"]),
            e["facts"],
            e["articles"],
            e["quotes"],
        )
        for e in edges.values()
    )
    assert got == want_edges

    nodes, edges = read_gexf_by_id(views / "institutions.gexf")
    assert set(nodes) == set(want_nodes)
    for node, data in want_nodes.items():
        assert {k: nodes[node][k] for k in data} == data, node
    assert len(edges) == links.number_of_edges()
    got = sorted(
        (
            e["source"],
            e["target"],
            e["kind"],
            {"true": True, "false": False}[e["directed"]],
            int(float(e["weight"])),
            e["facts"],
            e["articles"],
            e["quotes"],
        )
        for e in edges.values()
    )
    assert got == want_edges

    # networkx reads both back to the same multigraph, with the same edge ids as keys
    graphml = nx.read_graphml(views / "institutions.graphml")
    gexf = nx.read_gexf(views / "institutions.gexf")
    assert sorted(graphml.edges(keys=True)) == sorted(gexf.edges(keys=True))
    assert graphml.number_of_edges() == links.number_of_edges()


def test_dot_keeps_edge_attributes(links, views):
    dot = (views / "institutions.dot").read_text(encoding="utf-8")
    assert dot.startswith("digraph institutions {")
    assert dot.count(" -> ") == links.number_of_edges()
    assert re.search(
        r'"org/jinta-county-hospital" -> "org/jiuquan-peoples-hospital" '
        r'\[kind="satellite", weight=1',
        dot,
    )


def test_html_is_one_offline_file(views):
    page = (views / "institutions.html").read_text(encoding="utf-8")
    assert "<script src" not in page and "<link " not in page
    assert not re.search(r"""(src|href)=["']?(https?:)?//""", page)
    assert "default-src 'none'" in page  # the page may not load anything, even by mistake


@pytest.fixture(scope="module")
def browser():
    if not (CHROMIUM.exists() and CHROMEDRIVER.exists()):
        if os.environ.get("CI"):
            pytest.fail("chromium and chromium-driver are missing; .ci/run installs them")
        pytest.skip("needs Debian's chromium and chromium-driver")
    from selenium import webdriver
    from selenium.webdriver.chrome.service import Service

    options = webdriver.ChromeOptions()
    options.binary_location = str(CHROMIUM)
    for flag in (
        "--headless=new",
        "--no-sandbox",
        "--disable-dev-shm-usage",
        "--disable-gpu",
        "--disable-background-networking",
        "--disable-component-update",
        "--disable-sync",
        "--no-first-run",
        "--window-size=1500,1150",
    ):
        options.add_argument(flag)
    options.set_capability("goog:loggingPrefs", {"browser": "ALL"})
    driver = webdriver.Chrome(service=Service(executable_path=str(CHROMEDRIVER)), options=options)
    yield driver
    driver.quit()


def test_the_page_in_a_real_browser(browser, links, views):
    from selenium.webdriver.common.by import By

    browser.get((views / "institutions.html").as_uri())
    nodes = browser.find_elements(By.CSS_SELECTOR, "#nodes .node")
    edges = browser.find_elements(By.CSS_SELECTOR, "#edges .edge")
    assert len(nodes) == links.number_of_nodes()
    assert len(edges) == links.number_of_edges()
    drawn = browser.execute_script(
        "return Array.from(document.querySelectorAll('.node circle'))"
        ".filter(c => c.getBoundingClientRect().width > 0).length"
    )
    assert drawn == links.number_of_nodes()

    # a variant spelling finds the Lhasa centre
    search = browser.find_element(By.ID, "search")
    search.send_keys("bagou")
    matches = browser.find_elements(By.CSS_SELECTOR, ".node.match")
    assert [m.get_attribute("data-id") for m in matches] == ["org/bajiao-chsc"]
    assert browser.find_element(By.ID, "found").text == "1 found"

    # hovering a link shows its kind and the quote behind it
    assistance = browser.find_element(By.CSS_SELECTOR, '.edge[data-kind="satellite"]')
    browser.execute_script(
        "arguments[0].dispatchEvent(new MouseEvent('mousemove', {clientX: 50, clientY: 50}))",
        assistance,
    )
    tip = browser.find_element(By.ID, "tip").text
    assert "satellite" in tip and "a satellite of the Jiuquan People's Hospital" in tip

    # filtering a link kind hides exactly those links
    box = browser.find_element(By.CSS_SELECTOR, '.kind-filter[value="co-participation"]')
    box.click()
    hidden = browser.find_elements(By.CSS_SELECTOR, ".edge.hidden")
    expected = sum(1 for _, _, d in links.edges(data=True) if d["kind"] == "co-participation")
    assert len(hidden) == expected
    box.click()
    # back to the whole picture for the screenshot: no search, no tooltip
    browser.execute_script(
        "var s = document.getElementById('search'); s.value = '';"
        "s.dispatchEvent(new Event('input'));"
        "arguments[0].dispatchEvent(new MouseEvent('mouseleave'));",
        assistance,
    )
    assert browser.find_elements(By.CSS_SELECTOR, ".node.dim") == []

    screenshot = ROOT / "build" / "graph-screenshot.png"
    screenshot.parent.mkdir(exist_ok=True)
    browser.save_screenshot(str(screenshot))
    assert screenshot.stat().st_size > 10_000

    errors = [e for e in browser.get_log("browser") if e["level"] == "SEVERE"]
    assert errors == []
    requests = browser.execute_script(
        "return performance.getEntriesByType('resource').map(e => e.name)"
    )
    assert requests == []


def test_view_command_writes_the_files(tmp_path, monkeypatch, built):
    from click.testing import CliRunner

    from kg.cli import cli

    shutil.copytree(FIVE_ARTICLES, tmp_path / "seeds")
    shutil.copytree(built.out_dir, tmp_path / "build")
    monkeypatch.chdir(tmp_path)
    result = CliRunner().invoke(cli, ["graph", "view", "-o", "views", "--only", "html,dot"])
    assert result.exit_code == 0, result.output
    assert sorted(p.name for p in (tmp_path / "views").iterdir()) == [
        "institutions.dot",
        "institutions.html",
    ]
    bad = CliRunner().invoke(cli, ["graph", "view", "--only", "pdf"])
    assert bad.exit_code == 2 and "unknown view 'pdf'" in bad.output
