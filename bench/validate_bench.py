"""Benchmark `unkg validate` on a generated corpus: plain pySHACL against unkg's SPARQL engine.

    python bench/validate_bench.py --count 30000            # the issue's scale
    python bench/validate_bench.py --count 3000 --texts 3000

Steps (all timed in this one run, on this machine):

1. texts: `bench/generate.py` (when present) writes `--texts` synthetic resolution texts (seed 1);
   without it the 164 texts of tests/data/corpus/texts are used;
2. a store is built with unkg's loader from those texts, then, if `--count` is larger, each
   document graph is copied with its resolution symbols renumbered (A/RES/61/54 becomes
   A/RES/1061/54, A/RES/2061/54, ...) until the store holds `--count` documents;
3. baseline: plain pySHACL over the merged graph: rdflib parses the store's N-Triples, then
   pySHACL validates with unkg's shapes (without their sh:sparql constraints, which pySHACL runs
   per focus node with rdflib's SPARQL engine; leaving them out makes the baseline faster, so
   the ratios below are conservative). It runs in a child process, whose peak memory is
   recorded; `--baseline-timeout S` stops it after S seconds and reports the time it had as a
   lower bound (at 30,000 documents plain pySHACL needs more than 16 GiB and over an hour);
4. unkg's SPARQL engine: cold (no cache), warm (nothing changed), and after changing one
   document (one text edited and reloaded): the library call, and the whole `unkg validate`
   command (a new process: Python start-up, imports, shapes) for the last one.

Wall-clock and CPU seconds are both recorded: on a shared machine CPU time is the steadier
figure (both engines run on one thread). A table goes to stdout, JSON to bench/results/.
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import re
import resource
import shutil
import subprocess
import sys
import time
from datetime import datetime, timezone
from pathlib import Path
from typing import Any, Callable

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "src"))

import pyoxigraph as ox  # noqa: E402

from unkg import changes  # noqa: E402
from unkg.iris import DEFAULT_BASE_IRI  # noqa: E402
from unkg.loader import load_paths  # noqa: E402
from unkg.store import EmbeddedStore  # noqa: E402
from unkg.validation import shapes_graph, split_sparql_constraints, validate_store  # noqa: E402

CORPUS = ROOT / "tests" / "data" / "corpus" / "texts"
_RENUMBER = re.compile(r"\b([AS])/RES/")


def timed(fn: Callable[[], Any]) -> tuple[Any, float, float]:
    wall, cpu = time.perf_counter(), time.process_time()
    out = fn()
    return out, time.perf_counter() - wall, time.process_time() - cpu


def log(msg: str) -> None:
    print(msg, file=sys.stderr, flush=True)


def make_texts(work: Path, n: int) -> tuple[Path, str]:
    gen = ROOT / "bench" / "generate.py"
    if gen.exists():
        out = work / "texts"
        if not out.exists() or len([p for p in out.iterdir() if not p.name.startswith(".")]) != n:
            shutil.rmtree(out, ignore_errors=True)
            subprocess.run([sys.executable, str(gen), str(out), "--count", str(n), "--seed", "1"], check=True)
        return out, f"bench/generate.py --count {n} --seed 1"
    return CORPUS, f"tests/data/corpus/texts ({len(list(CORPUS.iterdir()))} real texts)"


def build_store(path: Path, texts: Path, count: int) -> int:
    """Load the texts, then copy graphs with renumbered symbols up to `count` documents."""
    shutil.rmtree(path, ignore_errors=True)
    with EmbeddedStore(path) as st:
        report = load_paths(st, [texts], base_iri=DEFAULT_BASE_IRI)
        if report.failed:
            log(f"{len(report.failed)} texts failed to load (left out)")
        graphs = st.named_graphs()
        base = len(graphs)
        quads = {g: st.nquads_lines(g) for g in graphs}
        copy = 1
        made = base
        while made < count:
            lines: list[str] = []
            names: list[str] = []
            for g in graphs:
                if made >= count:
                    break
                text = "\n".join(quads[g])
                text = _RENUMBER.sub(lambda m: f"{m.group(1)}/RES/{copy}0", text)
                graph = _RENUMBER.sub(lambda m: f"{m.group(1)}/RES/{copy}0", g)
                lines.append("\n".join(f"{line[:-2]} <{graph}> ." for line in text.split("\n")))
                names.append(graph)
                made += 1
            changes.record(st.path, names)  # as the store itself does: a write outside it must say so
            st.raw.bulk_load("\n".join(lines).encode(), ox.RdfFormat.N_QUADS)
            log(f"copies: {made} documents")
            copy += 1
        return st.count()


def baseline(store_path: Path, timeout: float | None = None) -> dict[str, Any]:
    """Plain pySHACL in a child process: rdflib parses the merged graph, pySHACL validates it.

    With `timeout`, a run not finished by then is stopped and reported as a lower bound
    (`finished: false`, `wall` = the time it had had); its peak memory is the child's alone."""
    nt = store_path.parent / "merged.nt"
    with EmbeddedStore(store_path, read_only=True) as st:
        with open(nt, "w") as f:
            for g in st.named_graphs():
                f.write("\n".join(st.nquads_lines(g)))
                f.write("\n")
    steps = store_path.parent / "baseline-steps.jsonl"
    start = time.perf_counter()
    with open(steps, "w") as out:
        child = subprocess.Popen([sys.executable, str(Path(__file__).resolve()), "--child-baseline", str(nt)],
                                 stdout=out)
        try:
            child.wait(timeout=timeout)
        except subprocess.TimeoutExpired:
            child.kill()
            child.wait()
    wall = time.perf_counter() - start
    nt.unlink()
    found = {d["step"]: d for d in map(json.loads, steps.read_text().splitlines())}
    steps.unlink()
    peak = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss / 1024  # KiB on Linux
    parse, validate = found.get("parse"), found.get("validate")
    if parse is None or validate is None:
        log(f"baseline: stopped after {wall:.0f} s ({'validating' if parse else 'parsing'}), peak {peak:.0f} MiB")
        return {"finished": False, "returncode": child.returncode, "wall": wall,
                "parse_wall": parse["wall"] if parse else None, "parse_cpu": parse["cpu"] if parse else None,
                "validate_wall": None, "validate_cpu": None, "cpu": None, "process_peak_mib": round(peak)}
    log(f"baseline: validated in {validate['wall']:.1f} s (conforms={validate['conforms']}), peak {peak:.0f} MiB")
    return {"finished": True, "parse_wall": parse["wall"], "parse_cpu": parse["cpu"],
            "validate_wall": validate["wall"], "validate_cpu": validate["cpu"],
            "wall": parse["wall"] + validate["wall"], "cpu": parse["cpu"] + validate["cpu"],
            "process_peak_mib": round(peak)}


def _child_baseline(nt: str) -> int:
    import pyshacl
    import rdflib

    def emit(**kw: Any) -> None:
        print(json.dumps(kw), flush=True)

    data = rdflib.Graph()
    _, wall, cpu = timed(lambda: data.parse(nt, format="nt"))
    log(f"baseline: parsed {len(data)} triples in {wall:.1f} s")
    emit(step="parse", wall=wall, cpu=cpu, triples=len(data))
    core, _checks = split_sparql_constraints(shapes_graph(DEFAULT_BASE_IRI))
    (conforms, _g, _t), wall, cpu = timed(lambda: pyshacl.validate(
        data, shacl_graph=core, inference="none", advanced=True, allow_warnings=True, allow_infos=True))
    emit(step="validate", wall=wall, cpu=cpu, conforms=bool(conforms))
    return 0


def change_one_document(store_path: Path, texts: Path, work: Path, variant: int) -> str:
    """Edit one text (drop its distribution line; `variant` trailing newlines make each edit a
    new file) and reload it: one graph changes."""
    source = sorted(p for p in texts.iterdir() if p.is_file() and not p.name.startswith("."))[0]
    edited = work / "changed" / source.name
    edited.parent.mkdir(exist_ok=True)
    kept = [line for line in source.read_text().splitlines(keepends=True) if not line.lstrip().startswith("Distr")]
    edited.write_text("".join(kept) + "\n" * variant)
    with EmbeddedStore(store_path) as st:
        report = load_paths(st, [edited], base_iri=DEFAULT_BASE_IRI)
        assert report.count("loaded") == 1, report.summary()
    return source.name


def ours(store_path: Path, **kw: Any) -> tuple[dict[str, int], float, float]:
    with EmbeddedStore(store_path, read_only=False, create=False) as st:
        report, wall, cpu = timed(lambda: validate_store(st, DEFAULT_BASE_IRI, **kw))
    return report.counts(), wall, cpu


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--count", type=int, default=30000, help="documents in the store")
    ap.add_argument("--texts", type=int, default=3000, help="texts generated and parsed (then copied)")
    ap.add_argument("--work", type=Path, default=ROOT / "bench" / "work-validate")
    ap.add_argument("--child-baseline", default=None, help=argparse.SUPPRESS)
    ap.add_argument("--no-baseline", action="store_true", help="skip plain pySHACL (no ratios)")
    ap.add_argument("--reuse-store", action="store_true", help="keep a store built by a previous run")
    ap.add_argument("--skip-no-cache", action="store_true",
                    help="leave out the --no-cache run (a second cold run, minutes at 30,000)")
    ap.add_argument("--baseline-timeout", type=float, default=None, metavar="SECONDS",
                    help="stop plain pySHACL after this long and report a lower bound")
    args = ap.parse_args(argv)
    if args.child_baseline:
        return _child_baseline(args.child_baseline)

    args.work.mkdir(parents=True, exist_ok=True)
    store = args.work / "store"
    texts, corpus = make_texts(args.work, min(args.texts, args.count))
    if not (args.reuse_store and (store / "CURRENT").exists()):
        _, build_wall, _ = timed(lambda: build_store(store, texts, args.count))
        log(f"store built in {build_wall:.0f} s")
    with EmbeddedStore(store, read_only=True) as st:
        graphs, triples = len(st.named_graphs()), st.count()
    log(f"store: {graphs} graphs, {triples} quads")

    (store / "unkg-validation-cache.sqlite").unlink(missing_ok=True)
    counts, cold_wall, cold_cpu = ours(store)
    log(f"sparql cold: {cold_wall:.1f} s {counts}")
    nc_wall = nc_cpu = None
    if not args.skip_no_cache:
        counts_nc, nc_wall, nc_cpu = ours(store, cache=False)
        assert counts_nc == counts
    _, warm_wall, warm_cpu = ours(store)
    log(f"sparql warm: {warm_wall:.2f} s")
    changed = change_one_document(store, texts, args.work, 1)
    counts_changed, change_wall, change_cpu = ours(store)
    log(f"sparql after one change: {change_wall:.2f} s {counts_changed}")
    change_one_document(store, texts, args.work, 2)  # the graph changes again
    cli_start = time.perf_counter()
    unkg = shutil.which("unkg", path=str(Path(sys.executable).parent)) or "unkg"
    proc = subprocess.run([unkg, "--store", str(store), "validate", "--format", "json", "-o", os.devnull],
                          capture_output=True, text=True)
    cli_wall = time.perf_counter() - cli_start
    assert proc.returncode in (0, 1), proc.stderr
    log(f"unkg validate (new process) after one change: {cli_wall:.2f} s")

    base = None if args.no_baseline else baseline(store, args.baseline_timeout)
    rows = [
        ("plain pySHACL (rdflib parse + validate)" + ("" if not base or base["finished"] else ", stopped"),
         base["wall"] if base else None, base["cpu"] if base else None),
        ("unkg sparql engine, cold (no cache)", cold_wall, cold_cpu),
        ("unkg sparql engine, --no-cache", nc_wall, nc_cpu),
        ("unkg sparql engine, warm (nothing changed)", warm_wall, warm_cpu),
        ("unkg sparql engine, after changing one document", change_wall, change_cpu),
        ("`unkg validate` process after changing one document", cli_wall, None),
    ]
    print(f"\nvalidate: {graphs} documents, {triples} quads ({corpus}); {platform.node()}, "
          f"{os.cpu_count()} cores\n")
    print(f"| {'run':<55} | {'wall s':>8} | {'cpu s':>8} | {'pySHACL/this (wall)':>19} | {'(cpu)':>7} |")
    print(f"|{'-' * 57}|{'-' * 10}|{'-' * 10}|{'-' * 21}|{'-' * 9}|")
    bound = "" if not base or base["finished"] else ">"  # pySHACL was stopped: a lower bound
    for name, wall, cpu in rows:
        rw = f"{bound}{base['wall'] / wall:.1f}x" if base and wall else "-"
        rc = f"{base['cpu'] / cpu:.1f}x" if base and base["cpu"] and cpu else "-"
        print(f"| {name:<55} | {wall if wall is not None else float('nan'):8.2f} | "
              f"{cpu if cpu is not None else float('nan'):8.2f} | {rw:>19} | {rc:>7} |")
    out = {
        "date": datetime.now(timezone.utc).isoformat(timespec="seconds"),
        "machine": {"node": platform.node(), "cores": os.cpu_count(), "python": platform.python_version(),
                    "load_average": os.getloadavg()},
        "corpus": corpus, "documents": graphs, "quads": triples, "changed_document": changed,
        "baseline_pyshacl": base, "counts": counts,
        "sparql": {"cold": [cold_wall, cold_cpu], "no_cache": [nc_wall, nc_cpu], "warm": [warm_wall, warm_cpu],
                   "after_one_change": [change_wall, change_cpu], "cli_after_one_change_wall": cli_wall},
        "targets": {"cold_10x_faster": bool(base and base["wall"] / cold_wall >= 10),
                    "rerun_after_change_under_2s": cli_wall < 2.0},  # the whole process
    }
    results = ROOT / "bench" / "results"
    results.mkdir(parents=True, exist_ok=True)
    result_file = results / f"validate-{graphs}-{datetime.now(timezone.utc):%Y%m%dT%H%M%SZ}.json"
    result_file.write_text(json.dumps(out, indent=2) + "\n")
    log(f"results: {result_file}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
