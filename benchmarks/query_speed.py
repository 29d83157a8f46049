"""Time `kg query assistance` against the bare library doing the same work, as whole processes.

The bare baseline is what a user would write without kg: import rdflib, parse build/kg.ttl,
run the same query text. kg should add nothing to that cost (ratio at most 1.0). Also times
`kg --help`, which should answer in under 0.15 s.

Run from the repository root after `kg build`:  python benchmarks/query_speed.py [--runs N]
"""

from __future__ import annotations

import argparse
import statistics
import subprocess
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
BARE = (
    "import sys, rdflib; "
    "g = rdflib.Graph().parse('build/kg.ttl'); "
    "rows = list(g.query(open('queries/assistance.rq', encoding='utf-8').read())); "
    "sys.stdout.write(str(len(rows)))"
)


def timed(command: list[str], runs: int) -> list[float]:
    times = []
    for _ in range(runs):
        start = time.perf_counter()
        subprocess.run(command, cwd=ROOT, check=True, capture_output=True)
        times.append(time.perf_counter() - start)
    return times


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=7)
    runs = parser.parse_args().runs
    if not (ROOT / "build" / "kg.ttl").is_file():
        sys.exit("build/kg.ttl is missing: run 'kg build' first")
    kg = [sys.executable, "-m", "kg"]
    subprocess.run([*kg, "query", "assistance"], cwd=ROOT, check=True, capture_output=True)
    results = {
        "kg query assistance": timed([*kg, "query", "assistance", "--format", "csv"], runs),
        "bare rdflib (parse + same query)": timed([sys.executable, "-c", BARE], runs),
        "kg --help": timed([*kg, "--help"], runs),
        "python -c pass (interpreter alone)": timed([sys.executable, "-c", "pass"], runs),
    }
    print(f"whole-process wall time over {runs} runs (median, min, max) in seconds")
    for name, times in results.items():
        print(f"  {name:<36} {statistics.median(times):6.3f}  {min(times):6.3f}  {max(times):6.3f}")
    ratio = statistics.median(results["kg query assistance"]) / statistics.median(
        results["bare rdflib (parse + same query)"]
    )
    help_time = statistics.median(results["kg --help"])
    print(f"ratio kg / bare rdflib: {ratio:.2f}  (goal: at most 1.00)")
    print(f"kg --help: {help_time:.3f} s  (goal: under 0.150 s)")


if __name__ == "__main__":
    main()
