"""Write the two synthetic reference seeds: monthly FX rates and sales & marketing costs.

The other seeds (currencies, country codes, channel mapping, KPI targets) are curated by hand and
edited as CSV; only the two series below are invented numbers, so they come from this script.
The output is deterministic: a fixed random seed and pure-Python arithmetic, so the same script
always writes byte-identical files. `--check` regenerates in memory and fails when the committed
CSVs differ (for CI).

    python -m revops_tools.reference_seeds            # rewrite seeds/*.csv
    python -m revops_tools.reference_seeds --check    # exit 1 if the committed files are stale
"""
from __future__ import annotations

import argparse
import csv
import io
import math
import random
import sys
from pathlib import Path

FX_FIRST_MONTH = (2022, 1)
FX_LAST_MONTH = (2027, 12)
COSTS_FIRST_MONTH = (2023, 1)
COSTS_LAST_MONTH = (2027, 12)

# USD per one unit of the currency: the level each series wanders around, and its monthly volatility.
FX_CENTRES: dict[str, tuple[float, float]] = {
    "USD": (1.0, 0.0),
    "EUR": (1.08, 0.009),
    "GBP": (1.27, 0.010),
    "JPY": (0.0068, 0.012),
    "CAD": (0.74, 0.008),
    "AUD": (0.66, 0.011),
}
FX_SIGNIFICANT_DIGITS = 7

# Share of the month's trend total per category; events are spread unevenly over the quarter.
COST_SHARES: dict[str, float] = {
    "sales_salaries": 0.50,
    "marketing_salaries": 0.20,
    "sales_tools": 0.06,
    "marketing_tools": 0.06,
    "agencies": 0.10,
    "events": 0.08,
}
# Event spend by month of the quarter (mean 1): a big conference in the middle month.
EVENT_QUARTER_WEIGHTS = (0.25, 2.0, 0.75)
# The total of 2023-01 (first month of a quarter) is about $450k, and it doubles by 2026-10.
COSTS_START_TOTAL = 450_000.0
COSTS_DOUBLING_MONTHS = 45
# Month-to-month noise of the categories that are not salaries (salaries follow headcount smoothly).
COST_NOISE = 0.03

RANDOM_SEED = 20230101


def months(first: tuple[int, int], last: tuple[int, int]) -> list[str]:
    """First days of every month from `first` to `last` inclusive, as ISO dates."""
    out = []
    year, month = first
    while (year, month) <= last:
        out.append(f"{year:04d}-{month:02d}-01")
        year, month = (year + 1, 1) if month == 12 else (year, month + 1)
    return out


def _significant(value: float, digits: int) -> str:
    """A positive number as fixed-point text with `digits` significant digits (never exponent form)."""
    decimals = max(digits - 1 - math.floor(math.log10(abs(value))), 0)
    return f"{value:.{decimals}f}"


def fx_rates_rows() -> list[dict[str, str]]:
    """Mean-reverting random walk of each rate around its centre, one row per month and currency."""
    rng = random.Random(RANDOM_SEED)
    month_list = months(FX_FIRST_MONTH, FX_LAST_MONTH)
    rows: list[dict[str, str]] = []
    for currency, (centre, volatility) in FX_CENTRES.items():
        log_centre = math.log(centre)
        log_rate = log_centre + rng.gauss(0.0, volatility)
        for month in month_list:
            rate = "1" if currency == "USD" else _significant(math.exp(log_rate), FX_SIGNIFICANT_DIGITS)
            rows.append({"month": month, "currency_code": currency, "rate_to_usd": rate})
            log_rate += 0.12 * (log_centre - log_rate) + rng.gauss(0.0, volatility)
    rows.sort(key=lambda r: (r["month"], r["currency_code"]))
    return rows


def sales_marketing_costs_rows() -> list[dict[str, str]]:
    """Monthly costs by category: a smooth exponential trend, lumpy events, a little noise."""
    rng = random.Random(RANDOM_SEED + 1)
    month_list = months(COSTS_FIRST_MONTH, COSTS_LAST_MONTH)
    # Scale the trend so the first month's total (events at the quarter's first-month weight) is the start.
    first_month_factor = 1 - COST_SHARES["events"] + COST_SHARES["events"] * EVENT_QUARTER_WEIGHTS[0]
    trend_start = COSTS_START_TOTAL / first_month_factor
    rows: list[dict[str, str]] = []
    for index, month in enumerate(month_list):
        trend = trend_start * 2 ** (index / COSTS_DOUBLING_MONTHS)
        month_of_quarter = (int(month[5:7]) - 1) % 3
        for category, share in COST_SHARES.items():
            amount = trend * share
            if category == "events":
                amount *= EVENT_QUARTER_WEIGHTS[month_of_quarter]
            if not category.endswith("_salaries"):
                amount *= 1 + rng.uniform(-COST_NOISE, COST_NOISE)
            rows.append({
                "month": month,
                "cost_category": category,
                "amount": f"{round(amount):d}.00",
                "currency_code": "USD",
            })
    return rows


SYNTHETIC_SEEDS = {
    "fx_rates_monthly.csv": (["month", "currency_code", "rate_to_usd"], fx_rates_rows),
    "sales_marketing_costs.csv": (["month", "cost_category", "amount", "currency_code"],
                                  sales_marketing_costs_rows),
}


def render(name: str) -> str:
    """The CSV text of one synthetic seed (LF line endings, header first)."""
    header, build = SYNTHETIC_SEEDS[name]
    buffer = io.StringIO()
    writer = csv.DictWriter(buffer, fieldnames=header, lineterminator="\n")
    writer.writeheader()
    writer.writerows(build())
    return buffer.getvalue()


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--seeds-dir", type=Path, default=Path(__file__).resolve().parents[2] / "seeds")
    parser.add_argument("--check", action="store_true", help="fail if the committed CSVs differ")
    args = parser.parse_args(argv)
    stale = []
    for name in SYNTHETIC_SEEDS:
        path = args.seeds_dir / name
        text = render(name)
        if args.check:
            if not path.exists() or path.read_text(encoding="utf-8") != text:
                stale.append(str(path))
        else:
            path.write_text(text, encoding="utf-8")
            print(f"wrote {path}")
    if stale:
        print("stale seeds (run python -m revops_tools.reference_seeds):", *stale, sep="\n  ")
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())
