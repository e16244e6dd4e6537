"""Deterministic raw-data generator for the RevOps warehouse (see README.md beside this file)."""
from __future__ import annotations

import os
import sys
import time

from revops_tools.generator.companies import Team, make_companies
from revops_tools.generator.crm import CHANNEL_MIX, CRM
from revops_tools.generator.land import Lander
from revops_tools.generator.marketing import Marketing
from revops_tools.generator.shards import (
    generate_sharded,
    peak_rss_gb,
    remove_database,
    shard_count,
    shard_scale_limit,
)
from revops_tools.generator.world import END, HORIZON, START, World

__all__ = ["generate", "END", "HORIZON"]


def _ts(t: float | None):
    import pandas as pd

    return None if t is None else pd.Timestamp(int(round(t * 1e6)), unit="us")


def generate(path: str, scale: float = 1.0, seed: int = 42, progress: bool = True, end: float = END,
             runs: list[dict] | None = None, *, shards: int | None = None, jobs: int | None = None,
             shard_scale: float | None = None) -> dict[str, int]:
    """Writes every raw table and the truth schema into the DuckDB file at `path`.

    `end` is the story's last instant (epoch seconds; default 2026-10-31 23:59:59 UTC, at most
    HORIZON). The world is simulated to HORIZON whatever `end`, and the warehouse holds what had
    changed by `end`: a story ending later holds every row of a shorter one except for the records
    that changed in between. `runs` (used by `append`) are the earlier rows of truth.generation_runs.
    A scale above the shard limit (`shard_scale`, default $REVOPS_SHARD_SCALE or shards.SHARD_SCALE) is
    generated as `shards` business units of scale / shards each, in up to `jobs` worker processes, and
    merged (see shards.py); `shards` defaults to ceil(scale / shard limit).
    Returns the row count of every table written. The same scale, seed, end and shards give identical
    tables, whatever `jobs`.
    """
    if scale <= 0:
        raise ValueError(f"scale must be positive, got {scale}")
    if not START < end <= HORIZON:
        raise ValueError(f"the story end must lie after {_ts(START)} and by the horizon {_ts(HORIZON)}")
    n = shards if shards is not None else shard_count(scale, shard_scale_limit(shard_scale))
    run = {"run_id": len(runs or []) + 1, "kind": "generate", "scale": scale, "seed": seed, "horizon": _ts(HORIZON),
           "previous_story_end": None, "story_end": _ts(end), "days": None, "shards": n}
    runs = [*(runs or []), run]
    os.makedirs(os.path.dirname(os.path.abspath(path)), exist_ok=True)
    if n == 1:
        started = time.perf_counter()
        return generate_world(path, scale, seed, end, runs, say=progress_printer(progress, started))
    return generate_sharded(path, scale, seed, end, runs, shards=n, jobs=jobs, progress=progress)


def progress_printer(progress: bool, started: float, label: str = ""):
    """A function printing a progress line to stderr with the time since `started` (or nothing)."""
    def say(msg: str) -> None:
        if progress:
            # One write per line: shards' workers share stderr, and print() writes the newline apart.
            sys.stderr.write(f"[{time.perf_counter() - started:6.1f}s] {label}{msg}\n")
            sys.stderr.flush()

    return say


def generate_world(path: str, scale: float, seed: int, end: float, runs: list[dict], say, shard: int = 0
                   ) -> dict[str, int]:
    """Simulates one world (shard `shard` of the run, 0 when unsharded) and writes it to `path`."""
    w = World(scale, seed, end, shard)
    say(f"generating scale={scale} seed={seed} end={_ts(end)} into {path}")
    team = Team(w)
    from revops_tools.generator.billing import shared_catalog

    cat = shared_catalog(w)
    w.companies = make_companies(w, max(50, int(20_000 * scale)))
    mkt = Marketing(w)
    crm = CRM(w, team, cat, mkt)
    say(f"{len(w.companies):,} companies, {sum(len(v) for v in mkt.campaigns.values())} ad campaigns")
    partners = w.companies[-max(3, int(12 * scale)):]
    crm.partner_accounts(partners)
    prospects = w.companies[: len(w.companies) - len(partners)]

    # Everyone who enters the funnel, in time order: inbound leads and partner-sourced deals.
    n_leads = max(20, int(50_000 * scale))
    n_partner = max(2, int(2_000 * scale))
    lead_times = w.growth_times(n_leads, 0.45)
    partner_times = w.growth_times(n_partner, 0.45, lo=START + 30 * 86400)
    channels = list(CHANNEL_MIX)
    weights = [CHANNEL_MIX[c] for c in channels]
    company_weights = [c.employees ** 0.35 for c in prospects]
    arrivals = sorted([(t, "lead") for t in lead_times.tolist()] + [(t, "partner") for t in partner_times.tolist()])
    lead_companies = w.r.choices(prospects, company_weights, k=len(arrivals))
    step = max(1, len(arrivals) // 10)
    for i, ((t, kind), co) in enumerate(zip(arrivals, lead_companies)):
        if kind == "lead":
            crm.lead(co, t, w.r.choices(channels, weights)[0])
        else:
            crm.partner_deal(co, t)
        if i % step == 0 and i:
            say(f"  funnel {100 * i // len(arrivals)}% ({i:,} of {len(arrivals):,} arrivals)")
    crm.write_accounts()
    say(f"funnel done (to the horizon): {len({r[0] for r in w.buf.rows['raw_salesforce.lead']}):,} leads, "
        f"{len({r[0] for r in w.buf.rows['raw_salesforce.opportunity']}):,} opportunities, "
        f"{len(w.buf.rows['raw_stripe.customer']):,} Stripe customers")
    mkt.webinar_invites(w.buf.rows["raw_salesforce.contact"])
    mkt.anonymous_sessions()
    mkt.page_views()
    mkt.email()
    say(f"marketing done: {len(w.sessions_frame):,} web sessions, "
        f"{len(w.buf.frames['raw_hubspot.email_event']):,} email events")
    lander = Lander(w)
    lander.observe()
    lander.inject()
    say(f"injected {len(w.buf.faults):,} recorded faults")
    remove_database(path)
    counts = lander.write(path, say, runs)
    say(f"done: {sum(counts.values()):,} rows in {len(counts)} tables, peak memory {peak_rss_gb():.2f} GB")
    return counts
