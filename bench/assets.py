"""Gzip sizes of the scripts and styles every visitor downloads, against their budgets.

The cookie banner's JS + CSS together: 1.5 KB gzip (no external consent library). The
statistics beacon, when the analytics app ships one: 800 bytes gzip. Exit code 1 when over.
Run: python3 -m uv run python bench/assets.py
"""

import gzip
import sys
from pathlib import Path

SRC = Path(__file__).resolve().parent.parent / "src/pledge"
BUDGETS = [
    (
        "consent banner (JS + CSS)",
        ["consent/static/consent/banner.js", "consent/static/consent/banner.css"],
        1536,
    ),
    (
        "analytics beacon",
        sorted(str(p.relative_to(SRC)) for p in (SRC / "analytics/static/analytics").glob("*.js")),
        800,
    ),
]


def gzip_size(paths: list[str]) -> tuple[int, int]:
    # Gzip the files as one stream: that is what is sent when they are bundled, and it is the
    # honest lower bound; separately they would each pay a header.
    raw = b"".join((SRC / path).read_bytes() for path in paths)
    return len(raw), len(gzip.compress(raw, compresslevel=9, mtime=0))


def main() -> int:
    over = False
    for label, paths, budget in BUDGETS:
        if not paths:
            print(f"{label}: not present")
            continue
        raw, packed = gzip_size(paths)
        separate = sum(gzip_size([path])[1] for path in paths)
        verdict = "ok" if separate <= budget else "OVER BUDGET"
        over |= separate > budget
        print(
            f"{label}: {raw} bytes raw, {packed} bytes gzip together, {separate} bytes gzip "
            f"as separate files; budget {budget} bytes ({separate / budget:.0%}) {verdict}"
        )
    return 1 if over else 0


if __name__ == "__main__":
    sys.exit(main())
