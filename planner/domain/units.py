"""Integer scaling of money, shares, durations and distances, done once for everyone.

Backends, the checker and the reports all compute with these integers, so that they agree
to the cent. Floats from files are converted here and nowhere else.
"""

from __future__ import annotations

from decimal import ROUND_HALF_UP, Decimal, InvalidOperation

CENTS_PER_EUR = 100
PPM = 1_000_000  # a share of 1.0 (100 %) in parts per million
MINUTES_PER_HOUR = 60
HECTOMETRES_PER_KM = 10


def _scaled(value: float | str | Decimal, factor: int) -> int:
    try:
        d = Decimal(str(value)) * factor
    except InvalidOperation as exc:  # pragma: no cover - callers parse first
        raise ValueError(f"not a number: {value!r}") from exc
    return int(d.quantize(Decimal(1), rounding=ROUND_HALF_UP))


def eur_to_cents(eur: float | str | Decimal) -> int:
    """EUR amount to integer cents, rounding half up."""
    return _scaled(eur, CENTS_PER_EUR)


def cents_to_eur(cents: int | float) -> float:
    return round(cents / CENTS_PER_EUR, 2)


def share_to_ppm(share: float | str | Decimal) -> int:
    """A share in [0, 1] to parts per million."""
    return _scaled(share, PPM)


def ppm_to_share(ppm: int) -> float:
    return ppm / PPM


def hours_to_minutes(hours: float | str | Decimal) -> int:
    return _scaled(hours, MINUTES_PER_HOUR)


def minutes_to_hours(minutes: int) -> float:
    return minutes / MINUTES_PER_HOUR


def km_to_hm(km: float | str | Decimal) -> int:
    """Kilometres to integer hectometres (0.1 km resolution is ample for travel)."""
    return _scaled(km, HECTOMETRES_PER_KM)


def whole_minutes(minutes: float | str | Decimal) -> int:
    """Minutes to whole minutes, rounding half up (travel.csv may hold decimals)."""
    return _scaled(minutes, 1)


def hm_to_km(hm: int) -> float:
    return hm / HECTOMETRES_PER_KM


def div_round(numerator: int, denominator: int) -> int:
    """Integer division rounding half away from zero (exact, no float)."""
    if denominator <= 0:
        raise ValueError("denominator must be positive")
    q, r = divmod(abs(numerator), denominator)
    if 2 * r >= denominator:
        q += 1
    return q if numerator >= 0 else -q


def div_ceil(numerator: int, denominator: int) -> int:
    return -(-numerator // denominator)
