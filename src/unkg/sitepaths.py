"""Where a resource's files go in a published site: a safe map from IRIs to relative paths.

A web server percent-decodes the request path before it looks for a file, so a page for
`{base}doc/S/RES/1325(2000)` is stored as the decoded path `doc/S/RES/1325(2000)` plus an
extension. Nothing a document symbol or title contains may lead outside the output folder:
segments that are empty, `.`/`..`, hidden (leading dot: `.htaccess`), carry a slash, backslash
or control character after decoding, or end in one of the site's own extensions are refused.
"""

from __future__ import annotations

import os
import re
from pathlib import Path
from urllib.parse import unquote

from .errors import UnkgError

# The extensions the site writes beside each resource path; a resource whose last segment
# already ends in one would be ambiguous (is `x.ttl` the resource or the Turtle of `x`?).
PAGE_EXTENSIONS = (".html", ".ttl", ".jsonld")

# After decoding, a segment may hold RFC 3986 unreserved and sub-delims characters, ':' and
# '@', and letters and digits of any script; nothing else (no quotes, '<', '>', '%', spaces).
_SEGMENT = re.compile(r"^[\w\-.~!$&'()*+,;=:@]+$")
_MAX_SEGMENT_BYTES = 200


class UnsafePathError(UnkgError):
    """An IRI cannot be mapped to a file path inside the site."""


def relpath_of(iri: str, base: str) -> str:
    """The site-relative path (POSIX, decoded, no extension) of a resource IRI under `base`.

    Raises UnsafePathError for IRIs outside the base or with a segment that is not safe as a
    file name.
    """
    if not iri.startswith(base) or iri == base:
        raise UnsafePathError(f"not under the base IRI {base}: {iri}")
    rest = iri[len(base):]
    if any(c in rest for c in "?#"):
        raise UnsafePathError(f"IRI has a query or fragment: {iri}")
    segments = rest.split("/")
    out: list[str] = []
    for raw in segments:
        try:
            seg = unquote(raw, errors="strict") if "%" in raw else raw
        except UnicodeDecodeError as exc:
            raise UnsafePathError(f"bad percent-encoding in {iri}") from exc
        if (not seg or seg in {".", ".."} or seg.startswith(".") or not _SEGMENT.match(seg)
                or len(seg.encode()) > _MAX_SEGMENT_BYTES):
            raise UnsafePathError(f"unsafe path segment {raw!r} in {iri}")
        out.append(seg)
    if out[-1].lower().endswith(PAGE_EXTENSIONS):
        raise UnsafePathError(f"last segment ends in a site extension: {iri}")
    return "/".join(out)


def iri_of(relpath: str, base: str) -> str:
    """The IRI a request path (decoded, as a server gives it) names; inverse of relpath_of."""
    from urllib.parse import quote
    return base + "/".join(quote(seg, safe="-._~!$&'()*+,;=:@") for seg in relpath.split("/"))


def inside(outdir: Path, relpath: str) -> Path:
    """outdir/relpath, checked to stay inside outdir (also through symbolic links)."""
    root = Path(os.path.realpath(outdir))
    target = Path(os.path.realpath(root / relpath))
    if target != root and root not in target.parents:
        raise UnsafePathError(f"path leaves the output folder: {relpath}")
    return target
