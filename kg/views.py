"""Views of the link graph: an offline HTML page, static SVG and PNG, and GraphML, GEXF, DOT.

One function per format in ``VIEW_WRITERS``. All views share one deterministic layout: each
connected group laid out on its own (force-directed, fixed seed), groups packed in rows, largest first.
The HTML page is a single file: its SVG, script and style are inline and it loads nothing.
"""

from __future__ import annotations

import html
import json
import math
from collections import defaultdict
from collections.abc import Callable
from io import BytesIO
from pathlib import Path
from typing import Any

import networkx as nx

from kg.network import LINK_KINDS, simple

BASENAME = "institutions"
# node colour by kind (institutions), or by category (places, people)
KIND_COLOURS = {
    "hospital": "#d62728",
    "community health service center": "#ff7f0e",
    "township health center": "#ffbb78",
    "health commission": "#1f77b4",
    "government": "#2ca02c",
    "party organization": "#9467bd",
    "association": "#8c564b",
    "company": "#e377c2",
    "department or office": "#7f7f7f",
    "medical alliance": "#bcbd22",
    "public institution": "#17becf",
    "medical team": "#aec7e8",
    "national regional medical center": "#98df8a",
    "place": "#c7c7c7",
    "person": "#f7b6d2",
}
# edge colour and dash pattern by link kind
LINK_STYLES = {
    "assistance": ("#d62728", ""),
    "agreement": ("#1f77b4", ""),
    "co-participation": ("#b0b0b0", "4 3"),
    "sub-organization": ("#555555", "1 3"),
    "satellite": ("#ff7f0e", ""),
    "program": ("#2ca02c", "6 2"),
    "located-in": ("#dddddd", "2 2"),
    "post": ("#e377c2", "2 4"),
}


def colour(data: dict[str, Any]) -> str:
    if data["category"] != "institution":
        return KIND_COLOURS[data["category"]]
    return KIND_COLOURS.get(data["kind"], "#333333")


def layout(graph: nx.MultiDiGraph) -> dict[str, tuple[float, float]]:
    """Positions in the unit square: each component on its own, packed in rows."""
    projection = simple(graph)
    groups = sorted(
        (sorted(c) for c in nx.connected_components(projection)), key=lambda c: (-len(c), c[0])
    )
    boxes = []
    for group in groups:
        local = {group[0]: (0.0, 0.0)} if len(group) == 1 else _spread(graph, group)
        size = max(math.sqrt(len(group)), 1.6)  # room for the labels of small groups
        boxes.append((group, local, size))
    # pack boxes left to right in rows of total width ~ the square root of the total area
    row_width = max(4.0, math.sqrt(sum(b[2] ** 2 for b in boxes)) * 1.3)
    x = y = row_height = 0.0
    placed: dict[str, tuple[float, float]] = {}
    for group, local, size in boxes:
        if x + size > row_width and x > 0:
            x, y, row_height = 0.0, y + row_height, 0.0
        xs = [p[0] for p in local.values()]
        ys = [p[1] for p in local.values()]
        span = max(max(xs) - min(xs), max(ys) - min(ys)) or 1.0
        for node in group:
            px, py = local[node]
            scale = (0.8 if len(group) > 3 else 0.5) * size / span  # small groups keep apart
            placed[node] = (
                x + size / 2 + (px - (max(xs) + min(xs)) / 2) * scale,
                y + size / 2 + (py - (max(ys) + min(ys)) / 2) * scale,
            )
        x += size
        row_height = max(row_height, size)
    width = max(p[0] for p in placed.values()) or 1.0
    height = max(p[1] for p in placed.values()) or 1.0
    extent = max(width, height)
    return {n: (round(px / extent, 5), round(py / extent, 5)) for n, (px, py) in placed.items()}


def _spread(graph: nx.MultiDiGraph, group: list[str]) -> dict[str, Any]:
    """Positions for one connected group, by Kamada-Kawai on a stand-in graph.

    An event seen by many institutions links each pair of them; as a crowd of equal
    distances that collapses into a blob. In the stand-in graph each event is instead a hidden
    hub joined to its participants, so they spread on a ring around it. The circular start
    makes the result the same on every run."""
    members = set(group)
    crowds: dict[str, set[str]] = defaultdict(set)
    stand_in = nx.Graph()
    stand_in.add_nodes_from(sorted(group))
    for a, b, data in sorted(graph.edges(data=True), key=lambda e: (e[0], e[1], e[2]["kind"])):
        if a not in members or b not in members:
            continue
        if data["kind"] == "co-participation" and data["supports"]:
            for support in data["supports"]:
                crowds[support.fact].update((a, b))
        else:
            stand_in.add_edge(a, b, length=1.0)
    for event, crowd in sorted(crowds.items()):
        # the bigger the crowd, the wider its ring, so that its labels have room
        for member in sorted(crowd):
            stand_in.add_edge(member, "event:" + event, length=max(1.0, len(crowd) / 3.5))
    start = nx.circular_layout(sorted(stand_in.nodes))
    positions = nx.kamada_kawai_layout(stand_in, pos=start, weight="length")
    return {node: positions[node] for node in group}


def _edge_records(graph: nx.MultiDiGraph) -> list[dict[str, Any]]:
    records = []
    for a, b, data in sorted(graph.edges(data=True), key=lambda e: (e[0], e[1], e[2]["kind"])):
        support = data["supports"][0] if data["supports"] else None
        records.append(
            {
                "source": a,
                "target": b,
                "kind": data["kind"],
                "weight": data["weight"],
                "fact": support.label if support else "",
                "article": support.article if support else "",
                "quote": support.quote if support else "",
            }
        )
    return records


def write_html(graph: nx.MultiDiGraph, positions: dict[str, tuple[float, float]]) -> bytes:
    """One self-contained page: inline SVG, style and script; hover, filter by kind, search."""
    width, height, margin = 1400, 1000, 60
    scale = min(width, height) - 2 * margin

    def xy(node: str) -> tuple[float, float]:
        px, py = positions[node]
        return round(margin + px * scale * width / min(width, height) * 0.95, 1), round(
            margin + py * scale, 1
        )

    esc = html.escape
    edges_svg = []
    for record in _edge_records(graph):
        (x1, y1), (x2, y2) = xy(record["source"]), xy(record["target"])
        stroke, dash = LINK_STYLES[record["kind"]]
        arrow = ' marker-end="url(#arrow)"' if LINK_KINDS[record["kind"]] else ""
        edges_svg.append(
            f'<line class="edge" x1="{x1}" y1="{y1}" x2="{x2}" y2="{y2}" stroke="{stroke}" '
            f'stroke-dasharray="{dash}" stroke-width="{min(1 + record["weight"], 5)}"{arrow} '
            f'data-kind="{esc(record["kind"])}" '
            f'data-from="{esc(graph.nodes[record["source"]]["label"])}" '
            f'data-to="{esc(graph.nodes[record["target"]]["label"])}" '
            f'data-fact="{esc(record["fact"])}" data-article="{esc(record["article"])}" '
            f'data-quote="{esc(record["quote"])}"></line>'
        )
    nodes_svg = []
    for node, data in sorted(graph.nodes(data=True)):
        x, y = xy(node)
        radius = 5 + min(graph.degree(node), 20) / 2
        nodes_svg.append(
            f'<g class="node" data-id="{esc(node)}" data-label="{esc(data["label"])}" '
            f'data-kind="{esc(data["kind"])}" data-names="{esc(data["names"])}">'
            f'<circle cx="{x}" cy="{y}" r="{radius}" fill="{colour(data)}"></circle>'
            f'<text x="{x}" y="{y + radius + 11}">{esc(_short_label(data["label"]))}</text></g>'
        )
    kinds_present = sorted({d["kind"] for _, _, d in graph.edges(data=True)})
    filters = "".join(
        f'<label><input type="checkbox" class="kind-filter" value="{esc(k)}" checked> '
        f'<span class="swatch" style="border-top:3px {"dashed" if LINK_STYLES[k][1] else "solid"}'
        f' {LINK_STYLES[k][0]}"></span>{esc(k)}</label>'
        for k in kinds_present
    )
    node_kinds = sorted(
        {(colour(d), d["kind"]) for _, d in graph.nodes(data=True)}, key=lambda item: item[1]
    )
    legend = "".join(
        f'<span class="legend"><span class="dot" style="background:{c}"></span>{esc(k)}</span>'
        for c, k in node_kinds
    )
    summary = {"nodes": graph.number_of_nodes(), "edges": graph.number_of_edges()}
    page = PAGE.format(
        width=width,
        height=height + 40,
        filters=filters,
        legend=legend,
        edges="\n".join(edges_svg),
        nodes="\n".join(nodes_svg),
        summary=esc(json.dumps(summary)),
        n_nodes=summary["nodes"],
        n_edges=summary["edges"],
    )
    return page.encode("utf-8")


def _short_label(label: str, limit: int = 28) -> str:
    return label if len(label) <= limit else label[: limit - 1] + "…"


PAGE = """<!DOCTYPE html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta http-equiv="Content-Security-Policy" content="default-src 'none'; style-src 'unsafe-inline'; script-src 'unsafe-inline'">
<title>Institution links: health counterpart assistance</title>
<style>
body {{ font: 13px/1.4 system-ui, sans-serif; margin: 0; color: #222; }}
header {{ padding: 8px 12px; border-bottom: 1px solid #ddd; display: flex; flex-wrap: wrap; gap: 12px; align-items: center; }}
header label {{ white-space: nowrap; }}
.swatch {{ display: inline-block; width: 18px; margin: 0 4px 3px 2px; }}
.legend {{ margin-right: 10px; white-space: nowrap; }}
.dot {{ display: inline-block; width: 10px; height: 10px; border-radius: 50%; margin-right: 4px; }}
#legend {{ padding: 4px 12px; font-size: 12px; }}
svg text {{ font-size: 10px; text-anchor: middle; fill: #333; pointer-events: none; }}
.node circle {{ stroke: #fff; stroke-width: 1.5; cursor: pointer; }}
.node.match circle {{ stroke: #000; stroke-width: 4; }}
.node.dim, .edge.dim {{ opacity: 0.15; }}
.edge {{ cursor: pointer; }}
.edge.hidden {{ display: none; }}
#tip {{ position: fixed; display: none; max-width: 420px; background: #fffff0; border: 1px solid #999; padding: 6px 8px; box-shadow: 2px 2px 6px rgba(0,0,0,.2); pointer-events: none; }}
#search {{ width: 220px; }}
</style>
</head>
<body>
<header>
<strong>Institution links</strong>
<span id="counts">{n_nodes} nodes, {n_edges} links</span>
<input id="search" type="search" placeholder="Search a name (any spelling)">
<span id="found"></span>
{filters}
</header>
<div id="legend">{legend}</div>
<svg id="graph" width="{width}" height="{height}" data-summary="{summary}">
<defs><marker id="arrow" viewBox="0 0 10 10" refX="18" refY="5" markerWidth="5" markerHeight="5" orient="auto-start-reverse"><path d="M 0 0 L 10 5 L 0 10 z" fill="#666"></path></marker></defs>
<g id="edges">
{edges}
</g>
<g id="nodes">
{nodes}
</g>
</svg>
<div id="tip"></div>
<script>
(function () {{
  "use strict";
  var tip = document.getElementById("tip");
  function show(event, html) {{
    tip.innerHTML = html;
    tip.style.display = "block";
    tip.style.left = (event.clientX + 14) + "px";
    tip.style.top = (event.clientY + 14) + "px";
  }}
  function hide() {{ tip.style.display = "none"; }}
  function text(value) {{
    var div = document.createElement("div");
    div.textContent = value;
    return div.innerHTML;
  }}
  document.querySelectorAll(".node").forEach(function (node) {{
    node.addEventListener("mousemove", function (event) {{
      show(event, "<b>" + text(node.dataset.label) + "</b><br>" + text(node.dataset.kind) +
        "<br><small>" + text(node.dataset.names) + "</small>");
    }});
    node.addEventListener("mouseleave", hide);
  }});
  document.querySelectorAll(".edge").forEach(function (edge) {{
    edge.addEventListener("mousemove", function (event) {{
      var quote = edge.dataset.quote ? "<br><i>\\u201c" + text(edge.dataset.quote) + "\\u201d</i>" : "";
      var source = edge.dataset.article ? "<br><small>" + text(edge.dataset.fact) + " \\u2014 " + text(edge.dataset.article) + "</small>" : "";
      show(event, "<b>" + text(edge.dataset.kind) + "</b>: " + text(edge.dataset.from) + " \\u2192 " +
        text(edge.dataset.to) + quote + source);
    }});
    edge.addEventListener("mouseleave", hide);
  }});
  function applyFilters() {{
    var shown = {{}};
    document.querySelectorAll(".kind-filter").forEach(function (box) {{ shown[box.value] = box.checked; }});
    document.querySelectorAll(".edge").forEach(function (edge) {{
      edge.classList.toggle("hidden", !shown[edge.dataset.kind]);
    }});
  }}
  document.querySelectorAll(".kind-filter").forEach(function (box) {{
    box.addEventListener("change", applyFilters);
  }});
  var search = document.getElementById("search");
  search.addEventListener("input", function () {{
    var wanted = search.value.trim().toLowerCase();
    var matches = 0;
    document.querySelectorAll(".node").forEach(function (node) {{
      var hit = wanted !== "" && node.dataset.names.toLowerCase().indexOf(wanted) >= 0;
      node.classList.toggle("match", hit);
      node.classList.toggle("dim", wanted !== "" && !hit);
      if (hit) {{ matches += 1; }}
    }});
    document.getElementById("found").textContent = wanted ? matches + " found" : "";
  }});
}}());
</script>
</body>
</html>
"""


def _figure(graph: nx.MultiDiGraph, positions: dict[str, tuple[float, float]]) -> Any:
    import matplotlib

    matplotlib.use("Agg")
    matplotlib.rcParams["svg.hashsalt"] = "kg"  # stable ids in the SVG
    import matplotlib.pyplot as plt
    from matplotlib.lines import Line2D

    figure, axes = plt.subplots(figsize=(18, 13), dpi=110)
    axes.set_axis_off()
    pos = {n: (x, -y) for n, (x, y) in positions.items()}
    for kind, (stroke, dash) in LINK_STYLES.items():
        edges = [(a, b) for a, b, d in graph.edges(data=True) if d["kind"] == kind]
        if not edges:
            continue
        style = "solid" if not dash else (0, tuple(float(x) for x in dash.split()))
        nx.draw_networkx_edges(
            graph,
            pos,
            edgelist=edges,
            edge_color=stroke,
            style=style,
            width=1.2,
            alpha=0.7,
            arrows=True,
            arrowstyle="-|>" if LINK_KINDS[kind] else "-",
            arrowsize=8,
            ax=axes,
            node_size=120,
        )
    nodes = sorted(graph.nodes)
    nx.draw_networkx_nodes(
        graph,
        pos,
        nodelist=nodes,
        ax=axes,
        node_size=120,
        node_color=[colour(graph.nodes[n]) for n in nodes],
        edgecolors="white",
        linewidths=0.8,
    )
    for node in nodes:
        x, y = pos[node]
        axes.text(
            x,
            y - 0.012,
            _wrapped(graph.nodes[node]["label"]),
            fontsize=6.5,
            ha="center",
            va="top",
            color="#222",
        )
    kinds = sorted({(graph.nodes[n]["kind"], colour(graph.nodes[n])) for n in nodes})
    node_handles = [
        Line2D([], [], marker="o", linestyle="", markersize=7, color=c, label=k) for k, c in kinds
    ]
    present = sorted({d["kind"] for _, _, d in graph.edges(data=True)})
    edge_handles = [
        Line2D(
            [],
            [],
            color=LINK_STYLES[k][0],
            linestyle="solid" if not LINK_STYLES[k][1] else "dashed",
            label=k,
        )
        for k in present
    ]
    legends = []
    for handles, title, top in (
        (node_handles, "institution kind", 1.0),
        (edge_handles, "link kind", 0.45),
    ):
        legend = axes.legend(
            handles=handles,
            title=title,
            loc="upper left",
            bbox_to_anchor=(1.0, top),
            fontsize=8,
            title_fontsize=9,
            frameon=False,
        )
        axes.add_artist(legend)  # keep it when the next legend is drawn
        legends.append(legend)
    axes.set_title("Health counterpart assistance: institutions and their links", fontsize=13)
    figure.tight_layout()
    figure.kg_legends = tuple(legends)  # savefig must make room for them
    return figure


def _wrapped(label: str, width: int = 22) -> str:
    import textwrap

    return "\n".join(textwrap.wrap(label, width)[:3])


def _static(graph: nx.MultiDiGraph, positions: dict[str, tuple[float, float]], fmt: str) -> bytes:
    import matplotlib.pyplot as plt

    figure = _figure(graph, positions)
    buffer = BytesIO()
    metadata = {"Date": None} if fmt == "svg" else {"Software": None}
    figure.savefig(
        buffer,
        format=fmt,
        metadata=metadata,
        bbox_inches="tight",
        bbox_extra_artists=figure.kg_legends,
    )
    plt.close(figure)
    return buffer.getvalue()


def write_svg(graph: nx.MultiDiGraph, positions: dict[str, tuple[float, float]]) -> bytes:
    return _static(graph, positions, "svg")


def write_png(graph: nx.MultiDiGraph, positions: dict[str, tuple[float, float]]) -> bytes:
    return _static(graph, positions, "png")


def flat(graph: nx.MultiDiGraph) -> nx.MultiDiGraph:
    """The graph with scalar attributes only, as GraphML and GEXF need: the facts behind
    each link become text (fact labels, articles, first quotes, joined by ' | ').

    Each edge's key is its id in the files, ``e1`` to ``eN`` in (source, target, kind) order:
    unique, because Gephi keeps only the first edge of each id, and the same on every run."""
    out = nx.MultiDiGraph()
    for node, data in sorted(graph.nodes(data=True)):
        out.add_node(node, **{k: str(v) for k, v in data.items()})
    edges = sorted(graph.edges(keys=True, data=True), key=lambda e: (e[0], e[1], e[3]["kind"]))
    for number, (a, b, _, data) in enumerate(edges, start=1):
        supports = data["supports"]
        out.add_edge(
            a,
            b,
            key=f"e{number}",
            kind=data["kind"],
            directed=bool(data["directed"]),
            weight=int(data["weight"]),
            facts=" | ".join(s.label for s in supports),
            articles=" | ".join(sorted({s.article for s in supports})),
            quotes=" | ".join(s.quote for s in supports),
        )
    return out


class _GraphMLWriter(nx.readwrite.graphml.GraphMLWriter):
    """networkx's GraphML writer, with booleans in their XSD lexical form (``true``, not
    Python's ``True``) under a key declared ``boolean``."""

    def add_data(
        self, name: str, element_type: type, value: Any, scope: str = "all", default: Any = None
    ) -> Any:
        element = super().add_data(name, element_type, value, scope, default)
        if element_type is bool:  # networkx passes the value as str(value): "True", "False"
            element.text = str(value).lower()
        return element


def write_graphml(graph: nx.MultiDiGraph, positions: Any = None) -> bytes:
    writer = _GraphMLWriter(encoding="utf-8", prettyprint=True)
    writer.add_graph_element(flat(graph))
    return (str(writer).rstrip("\n") + "\n").encode("utf-8")


def write_gexf(graph: nx.MultiDiGraph, positions: Any = None) -> bytes:
    flattened = flat(graph)
    for _, _, key, data in flattened.edges(keys=True, data=True):
        data["id"] = key  # the same edge ids as the GraphML file
    return ("\n".join(nx.generate_gexf(flattened)) + "\n").encode("utf-8")


def write_dot(graph: nx.MultiDiGraph, positions: Any = None) -> bytes:
    """Graphviz DOT: directed edges for directed links, dir=none for the others."""

    def quoted(value: Any) -> str:
        return '"' + str(value).replace("\\", "\\\\").replace('"', '\\"').replace("\n", " ") + '"'

    lines = ["digraph institutions {", "  node [shape=ellipse, style=filled, fontsize=10];"]
    for node, data in sorted(graph.nodes(data=True)):
        lines.append(
            f"  {quoted(node)} [label={quoted(data['label'])}, "
            f"kind={quoted(data['kind'])}, fillcolor={quoted(colour(data))}];"
        )
    for a, b, data in flat(graph).edges(data=True):
        stroke, dash = LINK_STYLES[data["kind"]]
        attrs = [
            f"kind={quoted(data['kind'])}",
            f"weight={data['weight']}",
            f"color={quoted(stroke)}",
            f"facts={quoted(data['facts'])}",
            f"articles={quoted(data['articles'])}",
            f"quotes={quoted(data['quotes'])}",
        ]
        if dash:
            attrs.append('style="dashed"')
        if not data["directed"]:
            attrs.append("dir=none")
        lines.append(f"  {quoted(a)} -> {quoted(b)} [{', '.join(attrs)}];")
    lines.append("}")
    return ("\n".join(lines) + "\n").encode("utf-8")


VIEW_WRITERS: dict[str, Callable[[nx.MultiDiGraph, dict[str, tuple[float, float]]], bytes]] = {
    "html": write_html,
    "svg": write_svg,
    "png": write_png,
    "graphml": write_graphml,
    "gexf": write_gexf,
    "dot": write_dot,
}


def write_views(
    graph: nx.MultiDiGraph, out_dir: Path, formats: tuple[str, ...] = tuple(VIEW_WRITERS)
) -> list[Path]:
    """Write the chosen views as ``institutions.<format>`` into out_dir (made if missing),
    all or none: each goes to a temporary file first."""
    from kg.resources import write_files

    positions = layout(graph)
    files = {f"{BASENAME}.{fmt}": VIEW_WRITERS[fmt](graph, positions) for fmt in formats}
    write_files(out_dir, files)
    return [out_dir / name for name in files]
