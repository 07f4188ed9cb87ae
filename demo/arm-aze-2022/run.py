"""The seed's crisis from articles: ingest the Armenia–Azerbaijan 2022 demo corpus (and the seed
article when ../shared is there) and print what Flashpoint makes of it, with the same commands a
user runs: the ARM–AZE series (`flashpoint dyads`), its escalation labels and alerts
(`flashpoint escalation`, the rules chosen automatically for a corpus of articles) and the
network of August–October 2022 with its blocs (`flashpoint network`).

    python demo/arm-aze-2022/run.py [--db FILE] [--keep]
    python demo/arm-aze-2022/run.py --wikinews [--db FILE]   # the USA–IRN January 2020 part

With --wikinews it ingests the whole Wikinews corpus of ../shared/corpora/wikinews/ instead and
prints the USA–IRN timeline of January 2020 and its incidents with the sentences behind them.
Nothing here is tuned to the corpus: the commands are run as they ship.
"""

from __future__ import annotations

import argparse
import json
import subprocess
import sys
import tempfile
from collections import defaultdict
from pathlib import Path

HERE = Path(__file__).resolve().parent
ROOT = HERE.parents[1]
SHARED = ROOT.parent / "shared"
SEED = SHARED / "examples" / "seed-article.html"
WIKINEWS = SHARED / "corpora" / "wikinews"


def flashpoint(*args: str, capture: bool = False) -> str:
    """Run one flashpoint command with this interpreter; its output (or it is printed)."""
    cmd = [sys.executable, "-m", "flashpoint.cli", *args]
    done = subprocess.run(cmd, check=False, text=True, capture_output=True)
    if done.returncode not in (0, 3):  # 3: some inputs skipped (a non-English Wikinews page)
        sys.exit(f"flashpoint {' '.join(args)} failed ({done.returncode}):\n{done.stderr}")
    if capture:
        return done.stdout
    print(done.stdout, end="")
    if done.stderr.strip():
        print(done.stderr.strip())
    return done.stdout


def section(title: str) -> None:
    print(f"\n== {title} ==\n")


def blocs(db: Path, since: str, until: str) -> dict:
    """The network of the window as JSON, with its blocs printed one per line."""
    net = json.loads(flashpoint("network", "--db", str(db), "--since", since, "--until", until, capture=True))
    bal = net["balance"]
    print(f"{len(net['nodes'])} actors, {len(net['edges'])} edges, balance {bal['share']:.2f} "
          f"of {bal['triangles']} signed triangles, frustration {net['frustration']:.2f}")
    for i, bloc in enumerate(net["blocs"]):
        print(f"  bloc {i}: {' '.join(bloc)}")
    print("  edges (weight = cooperation − conflict, decayed to the window's end):")
    for e in sorted(net["edges"], key=lambda e: e["weight"]):
        if {"ARM", "AZE"} & {e["actor1"], e["actor2"]}:
            print(f"    {e['actor1']}–{e['actor2']}: {e['weight']:+.2f} (conflict {e['conflict']:.2f}, "
                  f"cooperation {e['cooperation']:.2f}, {e['incidents']} incidents)")
    return net


def crisis(db: Path) -> None:
    sources = [str(HERE / "articles.jsonl")]
    if SEED.exists():
        sources.append(str(SEED))  # third-party text: read from ../shared, never copied here
    section("ingest")
    flashpoint("ingest", *sources, "--db", str(db), "--workers", "2")
    section("ARM–AZE per week (flashpoint dyads --dyad ARM-AZE --period week)")
    flashpoint("dyads", "--db", str(db), "--dyad", "ARM-AZE", "--period", "week")
    section("ARM–AZE per day, September 2022")
    flashpoint("dyads", "--db", str(db), "--dyad", "ARM-AZE", "--since", "2022-09-01", "--until", "2022-09-30")
    section("escalation labels (flashpoint escalation --dyad ARM-AZE)")
    flashpoint("escalation", "--db", str(db), "--dyad", "ARM-AZE")
    section("risk alerts (--show alerts, JSON)")
    doc = json.loads(flashpoint("escalation", "--db", str(db), "--dyad", "ARM-AZE", "--format", "json",
                                capture=True))
    print(f"rules: {doc['rules']}, period: {doc['period']}")
    for alert in doc["alerts"]:
        print(f"ALERT {alert['key']} week of {alert['period']}: {alert['rule']}")
        print(f"  incidents behind it: {' '.join(alert['item_ids'])}")
    for name, since, until in (("August–October 2022", "2022-08-01", "2022-10-31"),
                               ("August–September 2022", "2022-08-01", "2022-09-30")):
        section(f"network, {name} (flashpoint network --since {since} --until {until})")
        blocs(db, since, until)


def wikinews(db: Path) -> None:
    if not WIKINEWS.exists():
        sys.exit(f"no Wikinews corpus at {WIKINEWS}")
    section("ingest (the whole Wikinews corpus)")
    flashpoint("ingest", *sorted(str(p) for p in WIKINEWS.glob("*.csv")), "--db", str(db), "--workers", "2")
    section("escalation on the whole store (every dyad, rules chosen automatically)")
    flashpoint("escalation", "--db", str(db), "--show", "alerts")
    section("USA–IRN, January 2020 (flashpoint dyads --dyad USA-IRN)")
    flashpoint("dyads", "--db", str(db), "--dyad", "USA-IRN", "--since", "2020-01-01", "--until", "2020-01-31")
    section("incidents of the USA or Iran, 1–15 January 2020, with their sentences")
    window = ("--since", "2020-01-01", "--until", "2020-01-15")
    rows = flashpoint("events", "--db", str(db), "--actor", "USA", "--actor", "IRN", *window,
                      "--format", "jsonl", capture=True)
    by_incident: dict[str, list[dict]] = defaultdict(list)
    for line in rows.splitlines():
        row = json.loads(line)
        by_incident[row["incident_id"]].append(row)
    for incident, events in sorted(by_incident.items(), key=lambda kv: (kv[1][0]["date"] or "", kv[0])):
        first = events[0]
        if len(first["date"] or "") != 10:
            continue  # month- or year-dated: background, not an incident of the crisis
        sides = f"{first['source_code'] or '?'} → {first['type']} → {first['target_code'] or '?'}"
        print(f"{first['date']}  {incident[:16]}  {sides}  [{first['certainty']}]")
        for quote in dict.fromkeys(e["sentence_text"] for e in events):
            print(f"    “{quote}”")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--db", type=Path, help="the DuckDB file to fill (default: a temporary one)")
    parser.add_argument("--wikinews", action="store_true", help="the Wikinews USA–IRN part instead")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        db = args.db or Path(tmp) / ("wikinews.duckdb" if args.wikinews else "arm-aze-2022.duckdb")
        (wikinews if args.wikinews else crisis)(db)


if __name__ == "__main__":
    main()
