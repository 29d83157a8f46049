"""Small helpers the tests share."""

from __future__ import annotations

from pathlib import Path

# The five seed articles as the tests know them: a frozen copy of their registry, annotations
# and texts, so that answers pinned to these five ids hold however many articles seeds/ gets.
# test_pipeline.py checks that the texts and annotations still match seeds/.
FIVE_ARTICLES = Path(__file__).resolve().parent / "five-articles" / "seeds"
FIVE_ARTICLE_IDS = (
    "000_be9031ea60b0a656",
    "001_94ed570f597dbb7b",
    "002_4decd25a87767e97",
    "003_1da268ff874a2100",
    "004_3fa1216b693b88b9",
)


def edit(path: Path, old: str, new: str, count: int = 1) -> None:
    """Replace text in a file, failing loudly if the text is not there."""
    text = path.read_text(encoding="utf-8")
    assert old in text, f"{old!r} not in {path}"
    path.write_text(text.replace(old, new, count), encoding="utf-8")


def ask(graph, query: str):
    """Run a SPARQL query with the usual prefixes."""
    prefixes = """
    PREFIX kg: <https://w3id.org/counterpart-kg/ontology#>
    PREFIX o: <https://w3id.org/counterpart-kg/id/org/>
    PREFIX person: <https://w3id.org/counterpart-kg/id/person/>
    PREFIX place: <https://w3id.org/counterpart-kg/id/place/>
    PREFIX org: <http://www.w3.org/ns/org#>
    PREFIX skos: <http://www.w3.org/2004/02/skos/core#>
    PREFIX prov: <http://www.w3.org/ns/prov#>
    PREFIX schema: <https://schema.org/>
    PREFIX oa: <http://www.w3.org/ns/oa#>
    PREFIX rdfs: <http://www.w3.org/2000/01/rdf-schema#>
    PREFIX xsd: <http://www.w3.org/2001/XMLSchema#>
    """
    return list(graph.query(prefixes + query))
