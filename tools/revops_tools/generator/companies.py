"""The prospect universe: companies, their names as each system spells them, and the sales team."""
from __future__ import annotations

from dataclasses import dataclass, field
from datetime import UTC

from revops_tools.generator.world import (
    COUNTRIES,
    DAY,
    END,
    HORIZON,
    INDUSTRIES,
    NAME_A,
    NAME_B,
    START,
    SUFFIX,
    World,
)


@dataclass
class Company:
    company_id: str
    core: str  # the name without legal suffix
    suffix: str
    domain: str
    country: str
    currency: str
    employees: int
    industry: str
    account: dict | None = None  # the Salesforce account row, filled in when the company is first worked
    account_created: float | None = None
    stripe_customer: dict | None = None
    contacts: list = field(default_factory=list)  # Salesforce contact rows
    people: list = field(default_factory=list)  # (email, first, last, hubspot id or None, lead id or None)
    subscriptions: list = field(default_factory=list)
    ever_paid: bool = False
    churned_at: float | None = None
    owner_id: str | None = None
    account_events: list = field(default_factory=list)  # (time, changed account fields): later versions

    @property
    def name(self) -> str:
        return f"{self.core} {self.suffix}"


def name_variant(w: World, c: Company) -> tuple[str, bool]:
    """The company's name as someone else typed it: mostly right, sometimes another spelling."""
    if w.r.random() >= 0.3:
        return c.name, False
    kind = w.r.randrange(6)
    if kind == 0:
        return c.core, True
    if kind == 1:
        return c.name.upper(), True
    if kind == 2:
        return c.name.lower(), True
    if kind == 3:
        return f"{c.core}, {c.suffix}", True
    if kind == 4:
        words = c.core.split()
        return ("".join(x[0] for x in words) + " " + words[-1]) if len(words) > 1 else c.core + " Co", True
    core = c.core
    i = w.r.randrange(1, len(core) - 1)
    if core[i] != " " and core[i + 1 : i + 2] not in (" ", ""):
        core = core[:i] + core[i + 1] + core[i] + core[i + 2 :]
    return f"{core} {c.suffix}", True


# Words no name of shard 0 holds (none is in NAME_A or NAME_B, nor a legal suffix): the companies of
# business unit k > 0 carry unit_word(k) before their last word ('Blue Ridge Analytics'), so their
# names and domains never equal another unit's, and their first and last letters are spread like shard
# 0's (identity resolution blocks names on those).
UNIT_WORDS = ("Ridge Forge Grove Bay Brook Creek Meadow Gate Hill Lake Mesa Park Peak Point Port Shore Vale "
              "View Wood Bridge Crest Dale Glen Haven Isle Moor Spring Trail Well Yard Arc Bloom Chord Drift "
              "Flux Glow Jet Kite Loom Quill Rook Sage Tide Vista Wren Yew Zephyr Birch").split()


def unit_word(shard: int) -> str:
    """The word of business unit `shard` (>= 1): one of UNIT_WORDS, then pairs of them."""
    k = shard - 1
    n = len(UNIT_WORDS)
    if k < n:
        return UNIT_WORDS[k]
    first, second = divmod(k - n, n)
    return f"{UNIT_WORDS[first]} {UNIT_WORDS[second]}"


def make_companies(w: World, n: int) -> list[Company]:
    codes = list(COUNTRIES)
    weights = [COUNTRIES[c][0] for c in codes]
    seen: set[str] = set()
    out: list[Company] = []
    unit = f" {unit_word(w.shard)}" if w.shard else ""
    i = 0
    while len(out) < n:
        i += 1
        a, b = w.r.choice(NAME_A), w.r.choice(NAME_B)
        core = f"{a}{unit} {b}"
        if core in seen:
            core = f"{a} {w.r.choice(NAME_A)}{unit} {b}"
            if core in seen:
                continue
        seen.add(core)
        country = w.r.choices(codes, weights)[0]
        _, currency, _, tld, _, _ = COUNTRIES[country]
        if country != "US" and w.r.random() < 0.15:
            currency = "usd"  # some foreign companies pay in dollars
        slug = core.lower().replace(" ", "")
        employees = max(2, int(w.lognormal(60, 1.5)))
        out.append(Company(
            company_id=f"CO{len(out) + 1:07d}" + (f"-U{w.shard}" if w.shard else ""),
            core=core,
            suffix=w.r.choice(SUFFIX[country]),
            domain=f"{slug}.{tld}",
            country=country,
            currency=currency,
            employees=min(employees, 200_000),
            industry=w.r.choice(INDUSTRIES),
        ))
    return out


ROLES = [
    # (role name, parent role name, department, per-scale headcount)
    ("VP Sales", None, "Sales", 0),
    ("Sales Manager - Enterprise", "VP Sales", "Sales", 0),
    ("Sales Manager - Commercial", "VP Sales", "Sales", 0),
    ("AE - Enterprise", "Sales Manager - Enterprise", "Sales", 3),
    ("AE - Mid-Market", "Sales Manager - Commercial", "Sales", 4),
    ("AE - SMB", "Sales Manager - Commercial", "Sales", 4),
    ("AE - Partner", "Sales Manager - Enterprise", "Sales", 2),
    ("SDR - AMER", "Sales Manager - Commercial", "SDR", 5),
    ("SDR - EMEA", "Sales Manager - Commercial", "SDR", 3),
    ("CSM", "VP Sales", "Customer Success", 5),
    ("Marketing Manager", None, "Marketing", 4),
]
QUOTA_USD = {"AE - Enterprise": 220_000, "AE - Mid-Market": 120_000, "AE - SMB": 45_000, "AE - Partner": 90_000}


@dataclass
class Rep:
    id: str
    role: str
    hired: float
    left: float | None


class Team:
    """The people who own records; picks an owner active at a given instant."""

    def __init__(self, w: World):
        self.w = w
        self.by_role: dict[str, list[Rep]] = {}
        role_ids: dict[str, str] = {}
        for role, parent, _, _ in ROLES:
            rid = w.sf_id("00E")
            role_ids[role] = rid
            w.buf.add("raw_salesforce.user_role", id=rid, name=role, parent_role_id=role_ids.get(parent),
                      _fivetran_synced=w.synced(START - 30 * DAY))
        managers: dict[str, str] = {}
        for role, parent, dept, per_scale in ROLES:
            count = 1 if per_scale == 0 else max(1, round(per_scale * w.scale))
            # Headcount grows with the company: later hires, and a few leave.
            for k in range(count + max(1, count // 3)):
                first, last = w.person()
                hired = START - 60 * DAY if k < max(1, count // 2) else w.r.uniform(START, END - 120 * DAY)
                left = None
                if per_scale and k > 0 and w.r.random() < 0.15:
                    left = w.r.uniform(hired + 200 * DAY, END + 400 * DAY)
                    left = left if left < END - 10 * DAY else None
                uid = w.sf_id("005")
                email = f"{first.lower()}.{last.lower()}@northwind-revops.example"
                user = dict(id=uid, name=f"{first} {last}", email=email, user_role_id=role_ids[role],
                            manager_id=managers.get(parent or ""), department=dept, title=role,
                            created_date=hired)
                w.buf.add("raw_salesforce.user", is_active=True, _fivetran_synced=w.synced(hired), **user)
                if left is not None:  # deactivated when the rep leaves: a new version of the user
                    w.buf.add("raw_salesforce.user", is_active=False, _fivetran_synced=w.synced(left), **user)
                managers.setdefault(role, uid)
                self.by_role.setdefault(role, []).append(Rep(uid, role, hired, left))
        self._quotas()

    def pick(self, role: str, t: float) -> str:
        reps = [r for r in self.by_role[role] if r.hired <= t and (r.left is None or r.left > t)]
        if not reps:
            reps = self.by_role[role]
        return self.w.r.choice(reps).id

    def _quotas(self) -> None:
        w = self.w
        for role, usd in QUOTA_USD.items():
            for rep in self.by_role[role]:
                y, m = 2023, 1
                while (y, m) <= (2027, 9):
                    from datetime import datetime

                    t = datetime(y, m, 1, tzinfo=UTC).timestamp()
                    # Quotas are entered 150 days ahead of their month.
                    if rep.hired <= t + 27 * DAY and (rep.left is None or rep.left > t) and t <= HORIZON + 150 * DAY:
                        ramp = min(1.0, max(0.25, (t - rep.hired) / (120 * DAY)))
                        growth = 1 + 0.25 * (t - START) / (365.25 * DAY)
                        w.buf.add("raw_salesforce.forecasting_quota", id=w.sf_id("0J9"), quota_owner_id=rep.id,
                                  start_date=t, quota_amount=round(usd * ramp * growth, -2),
                                  currency_iso_code="USD", _fivetran_synced=w.synced(max(t - 150 * DAY, rep.hired)))
                    y, m = (y + 1, 1) if m == 12 else (y, m + 1)
