"""Hypothesis profiles: `make test` (and CI) replays the same examples on every run, so main stays
green for a reason; `make fuzz` draws fresh random examples each run, to find new bugs
(a failure prints the blob to replay it with ``@reproduce_failure``)."""

from __future__ import annotations

import os

from hypothesis import settings

# Rich reads COLUMNS once, when planner.cli creates its consoles at import: a wide terminal for
# the whole session, so that error tables never fold a path whatever the test order
os.environ["COLUMNS"] = "300"

settings.register_profile("default", derandomize=True, database=None, print_blob=True)
settings.register_profile("fuzz", derandomize=False, print_blob=True)
settings.load_profile(os.environ.get("HYPOTHESIS_PROFILE", "default"))
