"""Full-text search: SQLite FTS5 index vs a SPARQL CONTAINS scan over the store, same run, same data.

    python bench/fulltext_bench.py                  # the test corpus (164 texts)
    python bench/fulltext_bench.py --copies 183     # ~30,000 resolutions (the corpus replicated)

The larger corpus is the test corpus replicated: copy k of every document gets its own IRIs
(`doc/A/RES/61/54-r7/...`), graph and symbol, and is written through `EmbeddedStore.replace_graphs`
like `unkg load`, so the index is maintained as in a real load. Replicated text makes posting
lists longer but adds no new words (a limit of this benchmark).

Prints, for each expression: FTS5 time (top 20, and all hits), the CONTAINS scan time, their ratio,
and the hit counts (FTS5 matches words, CONTAINS matches substrings, so CONTAINS may find more).
Also: load time and the share spent keeping the index, index rebuild time, and the check a
search makes before answering (quick refresh) and the fingerprint check of `unkg index` (full).
"""

from __future__ import annotations

import argparse
import re
import statistics
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "src"))

from unkg import fulltext  # noqa: E402
from unkg.iris import IRIs  # noqa: E402
from unkg.loader import prepare_text  # noqa: E402
from unkg.store import EmbeddedStore  # noqa: E402

BASE = "https://w3id.org/unkg/"
TEXTS = ROOT / "tests" / "data" / "corpus" / "texts"
UNKG = "https://w3id.org/unkg/ontology#"

# (FTS5 expression, SPARQL filter on ?t approximating it)
EXPRESSIONS = [
    ("climate", 'CONTAINS(LCASE(?t), "climate")'),
    ("terrorism", 'CONTAINS(LCASE(?t), "terrorism")'),
    ("climate AND finance", 'CONTAINS(LCASE(?t), "climate") && CONTAINS(LCASE(?t), "finance")'),
    ('"information security"', 'CONTAINS(LCASE(?t), "information security")'),
    ("sustainable development", 'CONTAINS(LCASE(?t), "sustainable") && CONTAINS(LCASE(?t), "development")'),
]


def timed(fn, repeat: int = 3) -> tuple[float, object]:  # type: ignore[no-untyped-def]
    times, value = [], None
    for _ in range(repeat):
        t = time.perf_counter()
        value = fn()
        times.append(time.perf_counter() - t)
    return statistics.median(times), value


def prepared_corpus() -> list[tuple[str, str, str, str]]:
    """(graph IRI, document IRI, symbol, N-Triples) of every corpus text, parsed once."""
    out = []
    for path in sorted(TEXTS.iterdir()):
        p = prepare_text(str(path), path.read_bytes(), BASE)
        assert p.symbol
        graph, nt = next(iter(p.doc.ntriples().items()))
        out.append((graph, str(IRIs(BASE).document(p.symbol)), p.symbol, nt))
    return out


def replicate(graph: str, doc: str, symbol: str, nt: str, k: int) -> tuple[str, str]:
    """Copy k of one document's graph: its own IRIs (document, parts, graph) and symbol."""
    if k == 0:
        return graph, nt
    suffix = f"-r{k}"
    text = re.sub(re.escape(doc) + r"(?=[/>])", lambda m: doc + suffix, nt)
    text = text.replace(f"<{graph}>", f"<{graph}{suffix}>").replace(f'"{symbol}"', f'"{symbol}{suffix}"')
    return graph + suffix, text


def measure(st: EmbeddedStore, index: fulltext.FulltextIndex, args: argparse.Namespace) -> None:
    """Refresh costs, then each expression: FTS5 (top 20, all) against a CONTAINS scan."""
    refresh_s, report = timed(lambda: index.refresh(st), args.repeat)
    assert not report.changed  # type: ignore[attr-defined]
    print(f"quick refresh, nothing to do (before every search): {refresh_s * 1000:.2f} ms")
    full_s, report = timed(lambda: index.refresh(st, full=True), 1)
    assert not report.changed  # type: ignore[attr-defined]
    print(f"full refresh, every graph's fingerprint (unkg index): {full_s * 1000:.0f} ms")
    search_s, _ = timed(lambda: fulltext.search(st, "climate AND finance"), args.repeat)
    print(f"fulltext.search end to end (refresh + FTS5, top 20): {search_s * 1000:.0f} ms")

    print()
    print(f"{'expression':28} {'fts top20':>10} {'fts all':>9} {'hits':>7} {'contains':>9} {'hits':>7} "
          f"{'/all':>6} {'/top20':>7}")
    ratios, top_ratios = [], []
    for expression, condition in EXPRESSIONS:
        top_s, _ = timed(lambda: index.search(expression, limit=20), args.repeat)
        all_s, hits = timed(lambda: index.search(expression, limit=None), args.repeat)
        if args.scan == "typed":  # the same passages as the index holds
            sparql = (f"SELECT ?p WHERE {{ VALUES ?type {{ {' '.join(f'<{k}>' for k in fulltext.KINDS)} }} "
                      f"?p a ?type ; <{UNKG}text> ?t . FILTER({condition}) }}")
        else:  # every text literal (sub-paragraphs too): the plain scan a user would write
            sparql = f"SELECT ?p WHERE {{ ?p <{UNKG}text> ?t . FILTER({condition}) }}"
        scan_s, rows = timed(lambda: list(st.query(sparql)), args.scan_repeat or args.repeat)  # type: ignore[arg-type]
        ratio, top_ratio = scan_s / all_s, scan_s / top_s
        ratios.append(ratio)
        top_ratios.append(top_ratio)
        print(f"{expression:28} {top_s * 1000:8.1f}ms {all_s * 1000:7.1f}ms {len(hits):7d} "  # type: ignore[arg-type]
              f"{scan_s * 1000:7.0f}ms {len(rows):7d} {ratio:5.0f}x {top_ratio:6.0f}x")  # type: ignore[arg-type]
    print(f"\nCONTAINS scan ({args.scan}) / FTS5, geometric mean: {statistics.geometric_mean(ratios):.0f}x "
          f"against all hits with snippets, {statistics.geometric_mean(top_ratios):.0f}x against the top 20")


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--copies", type=int, default=1, help="replicate the corpus this many times")
    ap.add_argument("--store", default=None, help="new store directory (default: a temporary one)")
    ap.add_argument("--repeat", type=int, default=3, help="runs per measurement (median)")
    ap.add_argument("--scan", choices=["bare", "typed"], default="bare",
                    help="CONTAINS over every unkg:text (bare), or over the indexed classes only (typed: "
                         "the join makes Oxigraph 10-20x slower)")
    ap.add_argument("--existing", default=None, metavar="STORE",
                    help="measure searches on a store built by an earlier run (skips writing)")
    ap.add_argument("--scan-repeat", type=int, default=None, help="runs of each CONTAINS scan (default: --repeat)")
    args = ap.parse_args()

    corpus = prepared_corpus()
    tmp = tempfile.TemporaryDirectory(prefix="unkg-ftbench-")
    store_dir = Path(args.store or Path(tmp.name) / "store")
    hook_time = [0.0]
    assert not (store_dir / "CURRENT").exists(), f"{store_dir} is not empty"
    before, after = fulltext.before_write, fulltext.after_write

    def timed_before(store, graphs):  # type: ignore[no-untyped-def]
        t = time.perf_counter()
        before(store, graphs)
        hook_time[0] += time.perf_counter() - t

    def timed_after(store, graphs):  # type: ignore[no-untyped-def]
        t = time.perf_counter()
        after(store, graphs)
        hook_time[0] += time.perf_counter() - t

    fulltext.before_write, fulltext.after_write = timed_before, timed_after
    if args.existing:
        with EmbeddedStore(args.existing, create=False) as st:
            index, _ = fulltext.open_index(st, refresh=False)
            counts = index.counts()
            print(f"existing store {args.existing}: graphs indexed: {counts['graphs']}; "
                  f"passages indexed: {counts['passages']}")
            measure(st, index, args)
        return
    with EmbeddedStore(store_dir) as st:
        # copy 0: one graph per update with the index kept in step, as `unkg load` writes
        t0 = time.perf_counter()
        for graph, doc, symbol, nt in corpus:
            st.replace_graphs({graph: nt})
        load_s = time.perf_counter() - t0
        fulltext.before_write, fulltext.after_write = before, after
        print(f"write of {len(corpus)} graphs, one update each, index kept in step: {load_s:.1f} s, of "
              f"which index {hook_time[0]:.1f} s ({100 * hook_time[0] / load_s:.0f} %)")
        # further copies: bulk-loaded around the index (it is rebuilt below), to save time
        if args.copies > 1:
            import pyoxigraph as ox

            t0 = time.perf_counter()
            for k in range(1, args.copies):
                quads = []
                for graph, doc, symbol, nt in corpus:
                    g, text = replicate(graph, doc, symbol, nt, k)
                    quads += [line[:-1] + f"<{g}> ." for line in text.splitlines() if line.endswith(" .")]
                st.raw.bulk_load("\n".join(quads).encode(), ox.RdfFormat.N_QUADS)
                if k % 20 == 0:
                    print(f"  {k * len(corpus)} more documents ({time.perf_counter() - t0:.0f} s)", file=sys.stderr)
            print(f"bulk load of {(args.copies - 1) * len(corpus)} more graphs, no index: "
                  f"{time.perf_counter() - t0:.0f} s")
        docs = len(corpus) * args.copies
        index, _ = fulltext.open_index(st, refresh=False)
        rebuild_s, _ = timed(lambda: index.rebuild(st), 1)
        counts = index.counts()
        print(f"documents: {docs}; graphs indexed: {counts['graphs']}; passages indexed: {counts['passages']}")
        print(f"rebuild of the index from the store: {rebuild_s:.1f} s; index file "
              f"{index.path.stat().st_size / 1e6:.0f} MB")
        if docs <= 5000:
            assert index.verify(st) == []
        measure(st, index, args)
    tmp.cleanup()


if __name__ == "__main__":
    main()
