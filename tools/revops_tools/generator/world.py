"""Shared machinery of the simulation: the calendar, ids, names, and the table buffers."""
from __future__ import annotations

import hashlib
import random
import string
from dataclasses import dataclass, field
from datetime import UTC, datetime

import numpy as np

from revops_tools.generator.schema import TABLES, columns

UTC = UTC
START = datetime(2023, 1, 1, tzinfo=UTC).timestamp()
# The default end of the story. The story's shape (hiring, growth, campaign plans) is calibrated on
# it; `generate --end` and `append` move only the instant up to which the world is observed.
END = datetime(2026, 10, 31, 23, 59, 59, tzinfo=UTC).timestamp()
# The world is simulated up to HORIZON whatever the story end, so the first days of the story never
# depend on how long it runs (prefix stability): a story end may move up to HORIZON.
HORIZON = datetime(2026, 12, 31, 23, 59, 59, tzinfo=UTC).timestamp()
FAR_FUTURE = datetime(9999, 12, 31, 23, 59, 59, tzinfo=UTC).timestamp()
HOUR = 3600.0
DAY = 86400.0
MONTH = 30.4375 * DAY

CURRENCIES = ["usd", "eur", "gbp", "jpy", "cad", "aud"]
# Units of each currency per USD, for pricing; the FX seed holds the rates models convert with.
PER_USD = {"usd": 1.0, "eur": 0.92, "gbp": 0.79, "jpy": 150.0, "cad": 1.36, "aud": 1.52}
ZERO_DECIMAL = {"jpy"}

COUNTRIES = {
    # code: (weight, billing currency, utc offset hours, tld, free-text spellings in Salesforce, tax rate)
    "US": (52, "usd", -5, "com", ["United States", "USA", "US", "United States of America", "U.S."], 0.0),
    "GB": (10, "gbp", 0, "co.uk", ["United Kingdom", "UK", "GB", "Great Britain", "England"], 0.20),
    "DE": (8, "eur", 1, "de", ["Germany", "Deutschland", "DE"], 0.19),
    "FR": (5, "eur", 1, "fr", ["France", "FR"], 0.20),
    "CA": (6, "cad", -5, "ca", ["Canada", "CA"], 0.05),
    "AU": (5, "aud", 10, "com.au", ["Australia", "AU"], 0.10),
    "JP": (3, "jpy", 9, "co.jp", ["Japan", "JP"], 0.10),
    "NL": (4, "eur", 1, "nl", ["Netherlands", "The Netherlands", "NL", "Holland"], 0.21),
    "ES": (2, "eur", 1, "es", ["Spain", "España", "ES"], 0.21),
    "SE": (2, "eur", 1, "se", ["Sweden", "SE"], 0.25),
    "IE": (1, "eur", 0, "ie", ["Ireland", "IE"], 0.23),
    "SG": (1, "usd", 8, "sg", ["Singapore", "SG"], 0.0),
    "IN": (1, "usd", 5.5, "in", ["India", "IN"], 0.0),
}

PERSONAL_DOMAINS = ["gmail.com", "yahoo.com", "outlook.com", "hotmail.com"]

FIRST = ("James Mary Robert Patricia John Jennifer Michael Linda David Elizabeth William Barbara Richard "
         "Susan Joseph Jessica Thomas Sarah Charles Karen Chris Nancy Daniel Lisa Matthew Betty Anthony "
         "Sandra Mark Ashley Paul Emily Steven Donna Andrew Michelle Joshua Carol Kenneth Amanda Kevin "
         "Melissa Brian Deborah George Stephanie Timothy Rebecca Ronald Laura Jason Sharon Edward Cynthia "
         "Jeffrey Kathleen Ryan Amy Jacob Angela Gary Helen Nicholas Anna Eric Brenda Jonathan Pamela "
         "Stephen Nicole Larry Emma Justin Samantha Scott Katherine Brandon Christine Benjamin Rachel Samuel "
         "Catherine Gregory Maria Alexander Heather Frank Diane Hans Ingrid Lukas Sophie Pierre Camille "
         "Hiroshi Yuki Liam Chloe Noah Olivia Lars Astrid Priya Arjun").split()
LAST = ("Smith Johnson Williams Brown Jones Garcia Miller Davis Rodriguez Martinez Hernandez Lopez Gonzalez "
        "Wilson Anderson Thomas Taylor Moore Jackson Martin Lee Perez Thompson White Harris Sanchez Clark "
        "Ramirez Lewis Robinson Walker Young Allen King Wright Scott Torres Nguyen Hill Flores Green Adams "
        "Nelson Baker Hall Rivera Campbell Mitchell Carter Roberts Muller Schmidt Schneider Fischer Weber "
        "Dubois Laurent Bernard Tanaka Suzuki Sato Watanabe Jansen Bakker Visser Andersson Nilsson Murphy "
        "Kelly Walsh Patel Sharma Singh Chen Wang Li Kim Park Costa Silva Rossi Ferrari Novak").split()

NAME_A = ("Blue Red Green Silver Golden North South East West Bright Clear Swift Prime True Bold Quantum "
          "Apex Summit Harbor River Stone Iron Cedar Maple Oak Pine Falcon Eagle Lion Fox Wolf Orbit Nova "
          "Stellar Lunar Solar Vector Pixel Cloud Data Smart Rapid Agile Metro Urban Coastal Alpine Polar "
          "Crimson Azure Emerald Onyx Granite Copper Cobalt Velvet Crystal Ember Horizon Pioneer Liberty "
          "Atlas Titan Zenith Vertex Nimbus Lumen Helix Fusion Catalyst Keystone Beacon Anchor Compass").split()
NAME_B = ("Analytics Systems Labs Logistics Health Software Dynamics Networks Solutions Partners Capital "
          "Foods Energy Robotics Media Security Works Digital Industries Ventures Technologies Medical "
          "Retail Holdings Consulting Logic Apps Bio Payments Insurance Learning Studio Cloud Freight "
          "Manufacturing Telecom Travel Realty Motors Finance Games Supply Marine Aero").split()
SUFFIX = {"US": ["Inc", "Inc.", "LLC", "Corp", "Co"], "GB": ["Ltd", "Limited", "PLC"],
          "DE": ["GmbH", "AG"], "FR": ["SAS", "SA"], "CA": ["Inc", "Ltd"], "AU": ["Pty Ltd"],
          "JP": ["KK", "Co., Ltd."], "NL": ["BV", "NV"], "ES": ["SL", "SA"], "SE": ["AB"], "IE": ["Ltd"],
          "SG": ["Pte Ltd"], "IN": ["Pvt Ltd"]}
INDUSTRIES = ["Software", "Financial Services", "Healthcare", "Manufacturing", "Retail", "Education",
              "Media", "Logistics", "Professional Services", "Telecommunications", "Energy", "Real Estate"]

_B62 = string.digits + string.ascii_uppercase + string.ascii_lowercase


def b62(n: int, width: int) -> str:
    out = []
    while n:
        n, r = divmod(n, 62)
        out.append(_B62[r])
    return "".join(reversed(out)).rjust(width, "0")


_COLUMN_SETS = {t: frozenset(columns(t)) for t in TABLES}

# Tables whose rows the story changes after adding them (a contact's later touches, a HubSpot
# contact's lifecycle, a customer's delinquency).
MUTABLE = {"raw_salesforce.contact", "raw_hubspot.contact", "raw_stripe.customer"}


def as_dict(table: str, row) -> dict:
    return row if isinstance(row, dict) else dict(zip(columns(table), row))


def as_tuple(table: str, row) -> tuple:
    return row if isinstance(row, tuple) else tuple(row.get(c) for c in columns(table))


class Load(tuple):
    """When a change happened (`at`, the story's clock) and when the connector landed it (`synced`).

    A row (a version of a record) is in the warehouse of a story ending at E when at <= E."""

    __slots__ = ()

    def __new__(cls, at: float, synced: float):
        return tuple.__new__(cls, (at, synced))

    @property
    def at(self) -> float:
        return self[0]

    @property
    def synced(self) -> float:
        return self[1]


@dataclass
class Buffers:
    """Row buffers, one list of dicts per raw table, plus the truth rows."""

    # Every version of every record, each row ending with its change time (`_at`, see Load).
    rows: dict[str, list[dict]] = field(default_factory=lambda: {t: [] for t in TABLES})
    frames: dict[str, object] = field(default_factory=dict)  # tables built vectorised (DataFrames)
    source_records: list[tuple[str, str, str]] = field(default_factory=list)
    faults: list[tuple[str, str, str, str]] = field(default_factory=list)

    def add(self, table: str, company_id: str | None = None, **values) -> dict | None:
        """Appends a row: one version of a record, landed at `_fivetran_synced` (a Load: the change
        time and the load time). Rows of MUTABLE tables are dicts (returned, later versions are
        copies); all others are stored as tuples in column order, which takes a fifth of the memory."""
        cols = columns(table)
        if not _COLUMN_SETS[table].issuperset(values):
            raise KeyError(f"{table} has no columns {sorted(set(values) - set(cols))}")
        load = values["_fivetran_synced"]
        if not isinstance(load, Load):
            raise TypeError(f"{table}: _fivetran_synced must be a Load (use World.synced)")
        values["_fivetran_synced"] = load.synced
        if company_id is not None:
            self.source_records.append((table, values["id"], company_id))
        if table in MUTABLE:
            row = {c: values.get(c) for c in cols}
            row["_at"] = load.at
            self.rows[table].append(row)
            return row
        self.rows[table].append(tuple(values.get(c) for c in cols) + (load.at,))
        return None

    def version(self, table: str, row: dict, load: Load, **changes) -> dict:
        """A later version of a MUTABLE record: a copy of `row` with `changes`, landed at `load`."""
        new = dict(row)
        new.update(changes)
        new["_fivetran_synced"] = load.synced
        new["_at"] = load.at
        self.rows[table].append(new)
        return new

    def fault(self, table: str, source_id: str, kind: str, handling: str) -> None:
        self.faults.append((table, source_id, kind, handling))


# Sharded worlds (see shards.py): shard k > 0 is a business unit with its own random streams and id
# namespaces, so no raw key of one shard can equal one of another. Shard 0 keeps today's ids exactly.
MAX_SHARDS = 899  # HubSpot contact ids step by NUM_ID_SPAN per shard and stay below injected ids (9e11)
NUM_ID_SPAN = 10**9  # per shard, for HubSpot and ad-platform ids (num_id); one shard uses far fewer
STRIPE_ID_SPAN = 62**12  # per shard, added to the number a Stripe id encodes (14 base-62 digits hold 3,844)
EMAIL_EVENT_ID_SPAN = 10**13  # per shard, for the 19-digit HubSpot email event ids


def shard_seed(seed: int, shard: int) -> int:
    """The seed of shard `shard`'s random streams: the run's seed for shard 0 (so that it is exactly
    the unsharded world), else a 63-bit hash of (seed, shard)."""
    if shard == 0:
        return seed
    digest = hashlib.blake2b(f"{seed}|shard|{shard}".encode(), digest_size=8).digest()
    return int.from_bytes(digest, "big") >> 1


def sf_pod(shard: int) -> str:
    """The 4 characters after a Salesforce id's key prefix: '5g00' for shard 0, '5h' and the shard
    in base 62 for the others ('5g0Z' is kept for the orphan keys the lander injects)."""
    return "5g00" if shard == 0 else f"5h{b62(shard, 2)}"


class World:
    """Random sources, id factories and small helpers shared by every part of the story."""

    def __init__(self, scale: float, seed: int, end: float = END, shard: int = 0):
        if not 0 <= shard < MAX_SHARDS:
            raise ValueError(f"shard must lie in [0, {MAX_SHARDS}), got {shard}")
        self.scale = scale
        self.shard = shard
        self.seed = shard_seed(seed, shard)  # seeds the streams and every hash-drawn fault and page view
        self.end = end  # the story is observed up to here; the simulation runs to HORIZON regardless
        self.r = random.Random(self.seed)
        self.np = np.random.default_rng(self.seed)
        self._pod = sf_pod(shard)
        self.buf = Buffers()
        self._counters: dict[str, int] = {}
        self.companies: list = []
        self.sessions_frame = None  # web sessions, exploded into page views when landed

    # ids ---------------------------------------------------------------------------------------
    def _next(self, key: str) -> int:
        n = self._counters.get(key, 0) + 1
        self._counters[key] = n
        return n

    def sf_id(self, prefix: str) -> str:
        # 3-character key prefix, a pod/org part (the shard's), then a base-62 counter: 18 characters.
        return f"{prefix}{self._pod}{b62(self._next(prefix), 11)}"

    def stripe_id(self, prefix: str) -> str:
        n = self._next(prefix)
        return f"{prefix}_{b62(n * 7919 + 104729 + self.shard * STRIPE_ID_SPAN, 14)}"

    def num_id(self, key: str, base: int) -> str:
        return str(base + self.shard * NUM_ID_SPAN + self._next(key))

    def random_id(self, prefix: str) -> str:
        """A random 64-bit id in hex (Segment ids, form conversions), drawn from the numpy stream. Shards
        k > 0 put 'u<k>-' before the hex, so two shards' ids can never be equal."""
        tag = f"u{self.shard}-" if self.shard else ""
        return f"{prefix}{tag}{self.np.integers(0, 2**63):016x}"

    # business units (shards) -----------------------------------------------------------------------
    def unit_name(self, name: str) -> str:
        """A name of something every business unit has its own of (an ad account, a campaign, a
        webinar): shard 0's as it always was, the others' tagged with their unit."""
        return f"{name} - BU{self.shard}" if self.shard else name

    def unit_slug(self, slug: str) -> str:
        """The same for a UTM campaign value: its own per unit, so sessions find their unit's campaign."""
        return f"{slug}_bu{self.shard}" if self.shard else slug

    # time --------------------------------------------------------------------------------------
    def lag(self) -> float:
        """How long after a change the connector picks it up."""
        return self.r.uniform(0.05, 6.0) * HOUR

    def synced(self, t: float) -> Load:
        """A change at t, landed one connector lag later."""
        return Load(t, t + self.lag())

    def growth_times(self, n: int, yearly_growth: float, lo: float = START) -> np.ndarray:
        """Instants in [lo, HORIZON] with a density growing by `yearly_growth` per year, sorted, about n
        of them before END: the same instants whatever the story end."""
        g = np.log(1 + yearly_growth) / (365.25 * DAY)
        total = int(round(n * np.expm1(g * (HORIZON - lo)) / np.expm1(g * (END - lo))))
        u = self.np.random(total)
        t = np.log1p(u * np.expm1(g * (HORIZON - lo))) / g
        return np.sort(lo + t)

    def lognormal(self, median: float, sigma: float) -> float:
        return median * float(np.exp(self.r.gauss(0.0, sigma)))

    # people and names --------------------------------------------------------------------------
    def person(self) -> tuple[str, str]:
        return self.r.choice(FIRST), self.r.choice(LAST)

    def messy(self, text: str | None, p: float = 0.08) -> tuple[str | None, bool]:
        """Text as a person typed it: stray spaces and odd case now and then."""
        if text is None or self.r.random() >= p:
            return text, False
        kind = self.r.randrange(4)
        if kind == 0:
            return f"  {text} ", True
        if kind == 1:
            return text.upper(), True
        if kind == 2:
            return f"{text.title()}  ", True
        return f" {text.lower()}", True

    def email_for(self, first: str, last: str, domain: str, personal_p: float) -> tuple[str, bool]:
        if self.r.random() < personal_p:
            d = self.r.choice(PERSONAL_DOMAINS)
            # Other business units' people add their unit after the number: one address is one person.
            unit = f"u{self.shard}" if self.shard else ""
            return f"{first.lower()}.{last.lower()}{self.r.randrange(10, 999)}{unit}@{d}", True
        style = self.r.randrange(3)
        local = {0: f"{first}.{last}", 1: f"{first[0]}{last}", 2: first}[style].lower()
        return f"{local}@{domain}", False

    def phone(self, country: str) -> str:
        cc = {"US": "+1", "CA": "+1", "GB": "+44", "DE": "+49", "FR": "+33", "AU": "+61", "JP": "+81",
              "NL": "+31", "ES": "+34", "SE": "+46", "IE": "+353", "SG": "+65", "IN": "+91"}[country]
        return f"{cc} {self.r.randrange(200, 999)} {self.r.randrange(100, 999)} {self.r.randrange(1000, 9999)}"
