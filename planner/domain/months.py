"""Calendar months as plain integers (year * 12 + month - 1), so ranges are arithmetic."""

from __future__ import annotations

import re

Month = int

_MONTH_RE = re.compile(r"^(\d{4})-(\d{2})$")


def parse_month(text: str) -> Month:
    """Parse ``YYYY-MM``; raise ValueError with a readable message otherwise."""
    m = _MONTH_RE.match(text.strip())
    if not m:
        raise ValueError("expected a month as YYYY-MM, e.g. 2012-03")
    year, month = int(m.group(1)), int(m.group(2))
    if not 1 <= month <= 12:
        raise ValueError("month must be between 01 and 12")
    return year * 12 + month - 1


def format_month(month: Month) -> str:
    return f"{month // 12:04d}-{month % 12 + 1:02d}"


def month_range(first: Month, last: Month) -> range:
    """Months first..last inclusive."""
    return range(first, last + 1)
