"""Regenerate the reference scenarios in this folder: ``python scenarios/build.py``.

Same code, same files: the builders are seeded and write byte-identical folders.
"""

from __future__ import annotations

import sys
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE.parent))  # works from a checkout even without `pip install -e .`

from planner.generate import build_isere, build_isere_rural6, build_tiny  # noqa: E402


def main() -> None:
    for path in (
        build_isere(HERE / "isere-2012"),
        build_isere_rural6(HERE / "isere-2012-rural6"),
        build_tiny(HERE / "tiny"),
    ):
        print(f"wrote {path.relative_to(HERE.parent)}")


if __name__ == "__main__":
    main()
