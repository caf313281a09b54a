"""Size of the statistics beacon script: bytes raw and gzipped (the budget is 800 bytes gzip)."""

import gzip
from pathlib import Path

BEACON = Path(__file__).parent.parent / "src/pledge/analytics/static/analytics/beacon.js"
BUDGET = 800

source = BEACON.read_bytes()
packed = len(gzip.compress(source, compresslevel=9))
share = packed / BUDGET
print(f"analytics/beacon.js: {len(source)} bytes, {packed} bytes gzip ({share:.0%} of budget)")
