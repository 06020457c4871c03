"""Parser accuracy against the gold records: per field, how many records match exactly.

Usage: python bench/accuracy.py [--gold DIR] [--json OUT] [-v]

Gold records (tests/data/gold/*.gold.json) were written by reading the texts; the comparison
follows their conventions (tests/goldcheck.py: sets as sets, verbs on their first word, ...).
"""

from __future__ import annotations

import argparse
import json
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "tests"))

from goldcheck import compare  # noqa: E402

from unkg.errors import UnkgError  # noqa: E402
from unkg.parser import parse_file  # noqa: E402

CORPUS = ROOT / "tests" / "data" / "corpus"


def source_of(gold_path: Path, gold: dict) -> Path:
    if gold.get("source"):
        return CORPUS / gold["source"]
    name = gold_path.name.replace(".gold.json", "")
    for candidate in (CORPUS / "texts").glob(name + ".*"):
        return candidate
    raise FileNotFoundError(f"no text for {gold_path.name}")


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--gold", default=str(ROOT / "tests" / "data" / "gold"))
    ap.add_argument("--json", dest="json_out", default=None)
    ap.add_argument("-v", "--verbose", action="store_true", help="list each mismatch")
    args = ap.parse_args()

    per_field: dict[str, list[int]] = {}
    mismatches: list[str] = []
    started = time.perf_counter()
    golds = sorted(Path(args.gold).glob("*.gold.json"))
    for gold_path in golds:
        gold = json.loads(gold_path.read_text(encoding="utf-8"))
        try:
            record = parse_file(source_of(gold_path, gold)).to_json()
        except UnkgError as exc:
            record = {}
            mismatches.append(f"{gold_path.name}: parse failed: {exc}")
        for field, ok in compare(record, gold).items():
            per_field.setdefault(field, [0, 0])
            per_field[field][1] += 1
            if ok:
                per_field[field][0] += 1
            else:
                mismatches.append(f"{gold_path.name}: {field}")
    elapsed = time.perf_counter() - started

    total_ok = sum(v[0] for v in per_field.values())
    total = sum(v[1] for v in per_field.values())
    print(f"| field | exact | of | % |\n|---|---:|---:|---:|")
    for field in sorted(per_field):
        exact, n = per_field[field]
        print(f"| {field} | {exact} | {n} | {100 * exact / n:.1f} |")
    print(f"| **overall** | {total_ok} | {total} | {100 * total_ok / max(total, 1):.1f} |")
    print(f"\n{len(golds)} gold records, parsed in {elapsed:.2f} s", file=sys.stderr)
    if args.verbose:
        for m in mismatches:
            print("mismatch:", m, file=sys.stderr)
    if args.json_out:
        Path(args.json_out).write_text(json.dumps({
            "records": len(golds), "fields": {f: {"exact": v[0], "of": v[1]} for f, v in per_field.items()},
            "overall": total_ok / max(total, 1), "mismatches": mismatches}, indent=2))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
