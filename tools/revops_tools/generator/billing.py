"""Stripe: the catalogue, and each won deal's customer, subscriptions, invoices and payments over time."""
from __future__ import annotations

import json
from dataclasses import dataclass, field
from datetime import datetime

from revops_tools.generator.companies import Company
from revops_tools.generator.world import (
    COUNTRIES,
    CURRENCIES,
    DAY,
    FAR_FUTURE,
    HORIZON,
    HOUR,
    PER_USD,
    START,
    UTC,
    ZERO_DECIMAL,
    World,
)

# plan key: (product name, usd cents per month, per seat?, Salesforce product code)
PLANS = {
    "starter": ("Starter", 2_500, True, "SUB-STARTER"),
    "growth": ("Growth", 6_000, True, "SUB-GROWTH"),
    "enterprise": ("Enterprise Platform", 300_000, False, "SUB-ENT-PLATFORM"),
    "enterprise_seat": ("Enterprise Seat", 4_500, True, "SUB-ENT-SEAT"),
    "analytics": ("Analytics Add-on", 30_000, False, "SUB-ANALYTICS"),
}
API_PLAN = ("API Calls", 1, "SUB-API")  # metered: 1 cent per 100 calls
SERVICES = ("Onboarding Services", 500_000, "SVC-ONBOARD")
INTERVALS = {"monthly": ("month", 1, 1.0), "quarterly": ("month", 3, 2.85), "annual": ("year", 1, 10.0),
             "weekly": ("week", 1, 12 / 52)}
COUPONS = [
    # id, name, amount_off (minor units), percent_off, currency, duration, duration_in_months
    ("LAUNCH20", "Launch 20% for 3 months", None, 20.0, None, "repeating", 3),
    ("WELCOME50", "Welcome $50 off", 5_000, None, "usd", "once", None),
    ("ANNUAL10", "Annual commitment 10%", None, 10.0, None, "forever", None),
    ("PARTNER15", "Partner referral 15%", None, 15.0, None, "forever", None),
    ("EURO100", "EUR 100 off for 6 months", 10_000, None, "eur", "repeating", 6),
    ("LOYALTY25", "Loyalty 25% for 12 months", None, 25.0, None, "repeating", 12),
]


def local_amount(usd_cents: float, currency: str) -> int:
    """A list price in the currency's minor unit, rounded the way a price book is."""
    major = usd_cents / 100 * PER_USD[currency]
    if currency in ZERO_DECIMAL:
        return int(round(major / 10) * 10)
    return int(round(major)) * 100 if major >= 10 else int(round(major * 100))


def add_months(t: float, months: int) -> float:
    d = datetime.fromtimestamp(t, UTC)
    y, m = divmod(d.month - 1 + months, 12)
    y += d.year
    day = min(d.day, [31, 29 if y % 4 == 0 else 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31][m])
    return d.replace(year=y, month=m + 1, day=day).timestamp()


def add_interval(t: float, interval: str, count: int) -> float:
    if interval == "month":
        return add_months(t, count)
    if interval == "year":
        return add_months(t, 12 * count)
    if interval == "week":
        return t + 7 * DAY * count
    return t + DAY * count


class Catalog:
    """The price book: Stripe products, prices and coupons, and Salesforce products. One per warehouse:
    every business unit (shard) sells from shard 0's catalogue (see shared_catalog)."""

    def __init__(self, w: World):
        self.w = w
        self.prices: dict[tuple[str, str, str], tuple[str, int]] = {}
        self.products: dict[str, str] = {}
        self.sf_products: dict[str, str] = {}
        created = START - 400 * DAY
        b = w.buf
        for key, (name, _, _, code) in list(PLANS.items()) + [("api", (API_PLAN[0], 0, 0, API_PLAN[2])),
                                                               ("services", (SERVICES[0], 0, 0, SERVICES[2]))]:
            pid = w.stripe_id("prod")
            self.products[key] = pid
            b.add("raw_stripe.product", id=pid, name=name, active=True, created=created,
                  _fivetran_synced=w.synced(created))
            sid = w.sf_id("01t")
            self.sf_products[key] = sid
            b.add("raw_salesforce.product_2", id=sid, name=name, product_code=code,
                  family="Services" if key == "services" else "Subscription", is_active=True,
                  _fivetran_synced=w.synced(created))
        for cur in CURRENCIES:
            for key, (name, usd, _, _) in PLANS.items():
                for label, (interval, count, factor) in INTERVALS.items():
                    if label == "weekly" and not (key == "starter" and cur == "usd"):
                        continue
                    if label == "quarterly" and key == "starter":
                        continue
                    self._price(key, cur, label, local_amount(usd * factor, cur), "recurring", interval, count,
                                "licensed", f"{name} {label.title()} {cur.upper()}", label != "weekly")
            self._price("api", cur, "monthly", 1 if cur not in ZERO_DECIMAL else 2, "recurring", "month", 1,
                        "metered", f"API calls per 100 {cur.upper()}", True)
            self._price("services", cur, "one_time", local_amount(SERVICES[1], cur), "one_time", None, None,
                        None, f"Onboarding {cur.upper()}", True)
        for cid, name, amount_off, pct, cur, duration, months in COUPONS:
            b.add("raw_stripe.coupon", id=cid, name=name, amount_off=amount_off, percent_off=pct, currency=cur,
                  duration=duration, duration_in_months=months, created=created,
                  _fivetran_synced=w.synced(created))

    def _price(self, key, cur, label, amount, ptype, interval, count, usage, nickname, active) -> None:
        w = self.w
        pid = w.stripe_id("price")
        self.prices[(key, cur, label)] = (pid, amount)
        created = START - 300 * DAY
        w.buf.add("raw_stripe.price", id=pid, product_id=self.products[key], currency=cur, unit_amount=amount,
                  type=ptype, recurring_interval=interval, recurring_interval_count=count,
                  recurring_usage_type=usage, nickname=nickname, active=active, created=created,
                  _fivetran_synced=w.synced(created))


def shared_catalog(w: World) -> Catalog:
    """The catalogue of w's world: its own for shard 0 (landed with it); for another shard, the same ids
    and prices built on a scratch shard-0 world whose rows are dropped, since shard 0 lands them. Its ids
    come from its own id counters only (not from the seed), so the scratch world gives shard 0's ids."""
    if w.shard == 0:
        return Catalog(w)
    return Catalog(World(w.scale, 0, w.end))


@dataclass
class Deal:
    """What a won (or hoped-for) deal sells; fixed when the opportunity is created."""

    channel: str  # direct, self-serve, partner
    plan: str
    seats: int
    billing: str  # monthly, quarterly, annual, weekly
    term_months: int | None
    currency: str
    coupon: str | None = None
    analytics: bool = False
    api: bool = False
    services: bool = False
    trial: bool = False
    collection: str = "charge_automatically"

    def items(self) -> list[tuple[str, int | None]]:
        if self.plan == "enterprise":
            out = [("enterprise", 1), ("enterprise_seat", self.seats)]
        else:
            out = [(self.plan, self.seats)]
        if self.analytics:
            out.append(("analytics", 1))
        return out

    def monthly_value(self, cat: Catalog) -> float:
        """Recurring value per month in major units, after a recurring percent coupon."""
        total = 0.0
        for key, qty in self.items():
            _, amount = cat.prices[(key, self.currency, self.billing)]
            interval, count, _ = INTERVALS[self.billing]
            per_month = amount / {"month": count, "year": 12 * count, "week": 12 / 52 / count}[interval] if \
                interval != "week" else amount * 52 / 12 / count
            total += per_month * qty
        pct = next((c[3] for c in COUPONS if c[0] == self.coupon and c[5] == "forever"), None)
        if pct:
            total *= 1 - pct / 100
        return total / (1 if self.currency in ZERO_DECIMAL else 100)

    def services_fee(self, cat: Catalog) -> float:
        if not self.services:
            return 0.0
        amount = cat.prices[("services", self.currency, "one_time")][1]
        return amount / (1 if self.currency in ZERO_DECIMAL else 100)

    def tcv(self, cat: Catalog) -> float:
        months = self.term_months or 12
        return round(self.monthly_value(cat) * months + self.services_fee(cat), 2)


@dataclass
class Item:
    id: str
    key: str
    price_id: str
    unit_amount: int
    quantity: int | None
    created: float
    versions: list = field(default_factory=list)  # (start, plan_id, quantity)
    removed: float | None = None


class Billing:
    """Runs each customer's subscriptions month by month up to HORIZON, writing every version of every
    Stripe record as it changes."""

    CHURN = {"self-serve": 0.032, "direct": 0.009, "partner": 0.012}
    EXPAND = {"self-serve": 0.02, "direct": 0.035, "partner": 0.03}
    FAIL = {"self-serve": 0.06, "direct": 0.03, "partner": 0.03}

    def __init__(self, w: World, cat: Catalog, crm):
        self.w, self.cat, self.crm = w, cat, crm
        self.invoice_seq = 0

    # customers -----------------------------------------------------------------------------------
    def customer(self, co: Company, deal: Deal, t: float, contact_email: str | None) -> dict:
        w = self.w
        if co.stripe_customer is not None:
            existing = co.stripe_customer
            # Deals are simulated company by company but not in time order: a later-simulated deal
            # can start billing before the customer was created for another one. Stripe creates the
            # customer first, so it moves back to the earlier start (else its subscriptions would
            # land before it, and its MRR would be billed to a customer that never arrives).
            if existing["_at"] > t:
                existing.update(created=t, _at=t, _fivetran_synced=w.synced(t).synced)
            return existing
        cid = w.stripe_id("cus")
        r = w.r.random()
        personal = False
        if r < 0.6 and contact_email:
            email = contact_email
        elif r < 0.87:
            email = f"{w.r.choice(['billing', 'accounts', 'finance', 'ap'])}@{co.domain}"
        else:
            first, last = w.person()
            email, personal = w.email_for(first, last, co.domain, 1.0)
        email, padded = w.messy(email)
        from revops_tools.generator.companies import name_variant

        name, variant = name_variant(w, co)
        meta: dict[str, str] = {}
        link_p = {"direct": 0.8, "partner": 0.8, "self-serve": 0.3}[deal.channel]
        if co.account is not None and w.r.random() < link_p:
            meta["sf_account_id"] = co.account["id"]
        if w.r.random() < 0.8:
            meta["sales_channel"] = deal.channel.replace("-", "_") if w.r.random() < 0.5 else deal.channel
        row = w.buf.add(
            "raw_stripe.customer", company_id=co.company_id, id=cid, email=email, name=name,
            description="Self-serve signup" if deal.channel == "self-serve" else f"{deal.channel.title()} deal",
            currency=deal.currency, address_country=co.country, metadata=json.dumps(meta) if meta else None,
            delinquent=False, created=t, is_deleted=False, _fivetran_synced=w.synced(t),
        )
        for kind, flag in (("padded_text", padded), ("name_variant", variant), ("personal_email", personal)):
            if flag:
                w.buf.fault("raw_stripe.customer", cid, kind, "normalise" if kind == "padded_text" else "identity")
        co.stripe_customer = row
        if co.account is not None and w.r.random() < {"direct": 0.7, "partner": 0.6, "self-serve": 0.2}[deal.channel]:
            co.account_events.append((t + HOUR, {"stripe_customer_id_c": cid}))
        return row

    # subscriptions -------------------------------------------------------------------------------
    def start_subscription(self, co: Company, deal: Deal, t0: float, opp_owner: str | None) -> None:
        w, cat = self.w, self.cat
        if t0 > HORIZON:
            return
        cust = co.stripe_customer
        sub_id = w.stripe_id("sub")
        w.buf.source_records.append(("raw_stripe.subscription_history", sub_id, co.company_id))
        interval, count, _ = INTERVALS[deal.billing]
        items: list[Item] = []
        for key, qty in deal.items():
            pid, amount = cat.prices[(key, deal.currency, deal.billing)]
            items.append(Item(w.stripe_id("si"), key, pid, amount, qty, t0, [(t0, pid, qty)]))
        if deal.api:
            pid, amount = cat.prices[("api", deal.currency, "monthly")]
            items.append(Item(w.stripe_id("si"), "api", pid, amount, None, t0, [(t0, pid, None)]))
        meta = json.dumps({"sales_channel": deal.channel}) if w.r.random() < 0.7 else None
        state = {"status": "trialing" if deal.trial else "active", "created": t0, "start_date": t0,
                 "trial_start": t0 if deal.trial else None, "trial_end": t0 + 14 * DAY if deal.trial else None,
                 "current_period_start": t0, "current_period_end": None, "cancel_at_period_end": False,
                 "cancel_at": None, "canceled_at": None, "ended_at": None, "collection_method": deal.collection,
                 "metadata": meta}
        versions: list[tuple[float, dict]] = []

        def version(t: float, **changes) -> None:
            state.update(changes)
            if t <= HORIZON:
                versions.append((t, dict(state)))

        # A discount from the deal's coupon, on this subscription (a few on the whole customer).
        discount = None
        if deal.coupon:
            c = next(x for x in COUPONS if x[0] == deal.coupon)
            end = add_months(t0, c[6]) if c[5] == "repeating" else None
            discount = {"coupon": c, "start": t0, "end": end}
            di = w.stripe_id("di")
            w.buf.add("raw_stripe.discount", id=di, coupon_id=c[0], customer_id=cust["id"],
                      subscription_id=None if w.r.random() < 0.05 else sub_id, start=t0, end=end,
                      _fivetran_synced=w.synced(t0))
        if deal.services:
            self._one_time_invoice(co, deal, sub_id, t0)

        if deal.trial:
            version(t0, current_period_end=t0 + 14 * DAY)
            if w.r.random() < 0.12:  # the trial lapses without paying
                tend = t0 + 14 * DAY
                version(tend, status="canceled", canceled_at=tend, ended_at=tend)
                self._emit(sub_id, cust, versions, items, tend)
                return
            anchor = t0 + 14 * DAY
        else:
            anchor = t0
        co.ever_paid = co.ever_paid or anchor <= HORIZON
        if anchor <= HORIZON:
            co.account_events.append((anchor, {"_paid": True}))
        period_start, first = anchor, True
        term_start = anchor
        churn_p = self.CHURN[deal.channel] * (1.4 if co.employees < 30 else 1.0)
        ended = None
        while period_start <= HORIZON and ended is None:
            period_end = add_interval(period_start, interval, count)
            version(period_start, status="active" if state["status"] in ("trialing", "active") else state["status"],
                    current_period_start=period_start, current_period_end=period_end)
            inv_ok = self._period_invoice(co, deal, sub_id, items, discount, period_start, period_end,
                                          "subscription_create" if first else "subscription_cycle", version)
            first = False
            if inv_ok == "churned":
                ended = state["ended_at"]
                break
            # Month steps inside the period: expansions any time, the rest at the end of a month.
            t = period_start
            while t < period_end and t <= HORIZON:
                step_end = min(add_months(t, 1), period_end)
                if w.r.random() < self.EXPAND[deal.channel]:
                    te = w.r.uniform(t, step_end)
                    self._expand(co, deal, sub_id, items, te, period_start, period_end, discount, opp_owner)
                t = step_end
            # Decisions at the end of the period (monthly) or of the committed term (annual).
            term_months = deal.term_months or 12
            at_term_end = interval != "year" or add_months(term_start, term_months) <= period_end + DAY
            months_in_period = {"month": count, "year": 12 * count, "week": 0.25}[interval]
            p_churn = 1 - (1 - churn_p) ** (term_months if interval == "year" else months_in_period)
            churn = at_term_end and w.r.random() < p_churn
            decided = max(period_start, period_end - w.r.uniform(3, 40) * DAY)
            if interval == "year" and at_term_end and deal.channel != "self-serve":
                self._renewal_opp(co, deal, items, period_end, opp_owner, not churn, decided)
            if churn:
                version(decided, cancel_at_period_end=True, cancel_at=period_end, canceled_at=decided)
                version(period_end, status="canceled", ended_at=period_end)
                ended = period_end
                break
            if at_term_end:
                term_start = period_end
                if interval == "year" and w.r.random() < 0.15:
                    self._contract(items, period_end, 0.75)
            elif interval != "year" and w.r.random() < 0.012:
                self._contract(items, period_end, 0.7)
            period_start = period_end
        self._emit(sub_id, cust, versions, items, ended)
        if ended is not None and ended <= HORIZON:
            co.churned_at = ended
            co.account_events.append((ended, {"_churn": True}))
            if w.r.random() < 0.13:  # some come back
                back = ended + w.r.uniform(40, 420) * DAY
                if back < HORIZON:
                    again = Deal(deal.channel, deal.plan, max(1, int(deal.seats * w.r.uniform(0.6, 1.2))),
                                 deal.billing, deal.term_months, deal.currency, None, collection=deal.collection)
                    if deal.channel != "self-serve":
                        self.crm.winback_opportunity(co, again, back)
                    co.churned_at = None
                    co.account_events.append((back, {"_churn": False}))
                    self.start_subscription(co, again, back, opp_owner)

    def _contract(self, items: list[Item], t: float, factor: float) -> None:
        addon = next((i for i in items if i.key == "analytics" and i.removed is None), None)
        if addon is not None and self.w.r.random() < 0.3:
            addon.removed = t  # the add-on is dropped: its item ends and no version follows
            return
        for it in items:
            if it.quantity and it.quantity > 1 and it.removed is None:
                it.quantity = max(1, int(it.quantity * factor))
                it.versions.append((t, it.price_id, it.quantity))
                return

    def _expand(self, co, deal, sub_id, items, te, ps, pe, discount, owner) -> None:
        w, cat = self.w, self.cat
        before = self._mrr_minor(items, deal)
        changed: list[tuple[Item, int, int]] = []
        kind = "Expansion"
        r = w.r.random()
        live = [i for i in items if i.removed is None]
        if r < 0.15 and not any(i.key == "analytics" for i in live) and deal.billing in ("monthly", "annual"):
            pid, amount = cat.prices[("analytics", deal.currency, deal.billing)]
            it = Item(w.stripe_id("si"), "analytics", pid, amount, 1, te, [(te, pid, 1)])
            items.append(it)
            changed.append((it, 0, 1))
            kind = "Cross-sell"
        elif r < 0.25 and any(i.key == "starter" for i in live):
            it = next(i for i in live if i.key == "starter")
            pid, amount = cat.prices[("growth", deal.currency, deal.billing if deal.billing != "weekly" else "monthly")]
            old = it.quantity * it.unit_amount
            if deal.billing == "weekly":
                return
            it.key, it.price_id, it.unit_amount = "growth", pid, amount
            it.versions.append((te, pid, it.quantity))
            changed.append((it, old, it.quantity * amount))
        else:
            seat = next((i for i in live if i.key in ("starter", "growth", "enterprise_seat")), None)
            if seat is None:
                return
            old_q = seat.quantity
            seat.quantity = old_q + max(1, int(old_q * w.r.uniform(0.1, 0.5)))
            seat.versions.append((te, seat.price_id, seat.quantity))
            changed.append((seat, old_q * seat.unit_amount, seat.quantity * seat.unit_amount))
        if te <= HORIZON:
            self._proration_invoice(co, deal, sub_id, changed, te, ps, pe)
        if deal.channel != "self-serve" and te <= HORIZON:
            delta = (self._mrr_minor(items, deal) - before) / (1 if deal.currency in ZERO_DECIMAL else 100)
            months = deal.term_months or 12
            self.crm.won_upsell(co, kind, round(delta * months, 2), deal.currency, te, months, owner)

    def _mrr_minor(self, items: list[Item], deal: Deal) -> float:
        interval, count, _ = INTERVALS[deal.billing]
        div = {"month": count, "year": 12 * count, "week": 12 / 52 / count}[interval]
        return sum((i.unit_amount * i.quantity) / div for i in items if i.quantity and i.removed is None)

    # invoices ------------------------------------------------------------------------------------
    def _next_number(self, cust: dict) -> str:
        self.invoice_seq += 1
        unit = f"-U{self.w.shard}" if self.w.shard else ""  # numbers count per business unit
        return f"{cust['id'][4:12].upper()}-{self.invoice_seq:06d}{unit}"

    def _invoice(self, co, deal, sub_id, t, reason, lines, discount_amount, period=(None, None)) -> dict:
        """Creates an invoice and its payment story; returns its final row (lines already built)."""
        w = self.w
        cust = co.stripe_customer
        inv_id = w.stripe_id("in")
        subtotal = sum(x["amount"] for x in lines)
        taxable = max(0, subtotal - discount_amount)
        tax = int(round(taxable * COUNTRIES[co.country][5]))
        total = taxable + tax if subtotal >= 0 else subtotal
        finalized = t + w.r.uniform(0.5, 2) * HOUR
        inv = dict(id=inv_id, number=self._next_number(cust), customer_id=cust["id"], subscription_id=sub_id,
                   status="draft", billing_reason=reason, currency=deal.currency, subtotal=subtotal, tax=tax,
                   total=total, amount_due=max(total, 0), amount_paid=0, amount_remaining=max(total, 0), created=t,
                   due_date=None, period_start=period[0] if period[0] else t, period_end=period[1] if period[1] else t,
                   status_transitions_finalized_at=None, status_transitions_paid_at=None,
                   status_transitions_voided_at=None, status_transitions_marked_uncollectible_at=None)
        for ln in lines:
            ln["invoice_id"] = inv_id
            w.buf.add("raw_stripe.invoice_line_item", _fivetran_synced=w.synced(t), **ln)
        self._store(inv, t)  # the draft
        if finalized <= HORIZON:
            inv["status"] = "open"
            inv["status_transitions_finalized_at"] = finalized
            if deal.collection == "send_invoice":
                inv["due_date"] = finalized + 30 * DAY
            self._store(inv, finalized)
        return inv

    def _settle(self, co, deal, inv: dict, version=None) -> str:
        """Payment story of a finalized invoice, a version per change. Returns 'paid', 'open', 'churned'
        or 'void'."""
        w = self.w
        if inv["status"] == "draft":
            return "draft"
        t = inv["status_transitions_finalized_at"]
        due = inv["amount_due"]
        if due == 0:
            inv.update(status="paid", status_transitions_paid_at=t, amount_remaining=0)
            return self._store(inv, t)
        if w.r.random() < 0.004:
            tv = t + w.r.uniform(1, 48) * HOUR
            if tv <= HORIZON:
                inv.update(status="void", status_transitions_voided_at=tv, amount_remaining=0)
                return self._store(inv, tv, "void")
        if deal.collection == "send_invoice":
            if w.r.random() < 0.03:
                tu = t + 90 * DAY
                if tu <= HORIZON:
                    inv.update(status="uncollectible", status_transitions_marked_uncollectible_at=tu)
                    return self._store(inv, tu)
                return "open"
            tp = t + w.lognormal(24, 0.5) * DAY
            if tp > HORIZON:
                return "open"
            self._charge(co, deal, inv, tp, True)
            inv.update(status="paid", status_transitions_paid_at=tp, amount_paid=due, amount_remaining=0)
            return self._store(inv, tp)
        # charge automatically, with dunning on failure
        attempt = t + w.r.uniform(0.1, 1) * HOUR
        fail_p = self.FAIL[deal.channel]
        for n, gap in enumerate((0, 3, 5, 7)):
            attempt += gap * DAY
            if attempt > HORIZON:
                return "open"
            ok = w.r.random() >= (fail_p if n == 0 else 0.4)
            self._charge(co, deal, inv, attempt, ok)
            if ok:
                if n > 0 and version:
                    version(attempt, status="active")
                inv.update(status="paid", status_transitions_paid_at=attempt, amount_paid=due, amount_remaining=0)
                return self._store(inv, attempt)
            if n == 0 and version:
                version(attempt, status="past_due")
        # Retries exhausted: unpaid, then canceled; the invoice is written off.
        tu = attempt + 2 * DAY
        if version:
            version(tu, status="unpaid")
        tc = tu + 14 * DAY
        if tc <= HORIZON:
            inv.update(status="uncollectible", status_transitions_marked_uncollectible_at=tc)
            if version:
                version(tc, status="canceled", canceled_at=tc, ended_at=tc)
            self._store(inv, tc)
            return "churned" if version else "paid"
        return "open"

    def _store(self, inv: dict, t: float, result: str | None = None) -> str:
        """Lands the invoice's state as of t (a new version), and a credit note after some payments."""
        w = self.w
        w.buf.add("raw_stripe.invoice", _fivetran_synced=w.synced(t), **inv)
        if inv["status"] == "paid" and inv["amount_paid"] > 0 and w.r.random() < 0.01:
            tc = inv["status_transitions_paid_at"] + w.r.uniform(2, 40) * DAY
            if tc <= HORIZON:
                voided = tc + 5 * DAY if w.r.random() < 0.1 else None
                voided = voided if voided and voided <= HORIZON else None
                note = dict(id=w.stripe_id("cn"), invoice_id=inv["id"],
                            amount=int(inv["total"] * w.r.choice([0.1, 0.25, 0.5, 1.0])), currency=inv["currency"],
                            type="post_payment",
                            reason=w.r.choice(["product_unsatisfactory", "order_change", "duplicate"]), created=tc)
                w.buf.add("raw_stripe.credit_note", status="issued", voided_at=None, _fivetran_synced=w.synced(tc),
                          **note)
                if voided:
                    w.buf.add("raw_stripe.credit_note", status="void", voided_at=voided,
                              _fivetran_synced=w.synced(voided), **note)
        return result or inv["status"]

    def _charge(self, co, deal, inv, t, ok: bool) -> None:
        w = self.w
        ch_id = w.stripe_id("ch")
        refunded, tr = 0, None
        if ok and w.r.random() < 0.012:
            tr = t + w.r.uniform(1, 30) * DAY
            if tr <= HORIZON:
                refunded = inv["amount_due"] if w.r.random() < 0.5 else int(inv["amount_due"] * 0.5)
                w.buf.add("raw_stripe.refund", id=w.stripe_id("re"), charge_id=ch_id, amount=refunded,
                          currency=inv["currency"], status="succeeded",
                          reason=w.r.choice(["requested_by_customer", "duplicate", "fraudulent"]), created=tr,
                          _fivetran_synced=w.synced(tr))
        charge = dict(id=ch_id, customer_id=co.stripe_customer["id"], invoice_id=inv["id"],
                      amount=inv["amount_due"], currency=inv["currency"], status="succeeded" if ok else "failed",
                      failure_code=None if ok else w.r.choice(["card_declined", "insufficient_funds", "expired_card"]),
                      paid=ok, captured=ok, created=t)
        w.buf.add("raw_stripe.charge", amount_refunded=0, _fivetran_synced=w.synced(t), **charge)
        if refunded:  # the refund updates the charge
            w.buf.add("raw_stripe.charge", amount_refunded=refunded, _fivetran_synced=w.synced(tr), **charge)

    def _discount_amount(self, discount, subtotal: int, period_start: float, first: bool, currency: str) -> int:
        if not discount or subtotal <= 0:
            return 0
        _, _, amount_off, pct, cur, duration, _ = discount["coupon"]
        if duration == "once" and not first:
            return 0
        if duration == "repeating" and period_start >= discount["end"]:
            return 0
        if pct:
            return int(round(subtotal * pct / 100))
        if cur != currency:
            return 0
        return min(amount_off, subtotal)

    def _period_invoice(self, co, deal, sub_id, items, discount, ps, pe, reason, version) -> str:
        if ps > HORIZON:
            return "future"
        lines = []
        licensed = 0
        for it in items:
            if it.removed is not None:
                continue
            if it.quantity is None:  # metered: usage of the period that just ended, billed per 100 calls
                if reason == "subscription_create":
                    continue
                interval, count, _ = INTERVALS[deal.billing]
                hundreds = int(self.w.lognormal(400, 0.6))
                lines.append(self._line(sub_id, it, "subscription", hundreds * it.unit_amount, it.unit_amount,
                                        hundreds, add_interval(ps, interval, -count), ps, False, deal,
                                        "API calls (usage, per 100 calls)"))
                continue
            lines.append(self._line(sub_id, it, "subscription", it.unit_amount * it.quantity, it.unit_amount,
                                    it.quantity, ps, pe, False, deal, None))
            licensed += it.unit_amount * it.quantity
        disc = self._discount_amount(discount, licensed, ps, reason == "subscription_create", deal.currency)
        inv = self._invoice(co, deal, sub_id, ps, reason, lines, disc, (ps, pe))
        return self._settle(co, deal, inv, version)

    def _proration_invoice(self, co, deal, sub_id, changed, te, ps, pe) -> None:
        frac = max(0.0, min(1.0, (pe - te) / (pe - ps)))
        lines = []
        for it, old_amount, new_amount in changed:
            if old_amount:
                lines.append(self._line(sub_id, it, "subscription", -int(round(old_amount * frac)), None, None,
                                        te, pe, True, deal, "Unused time (proration)"))
            lines.append(self._line(sub_id, it, "subscription", int(round(new_amount * frac)), it.unit_amount,
                                    it.quantity, te, pe, True, deal, "Remaining time (proration)"))
        inv = self._invoice(co, deal, sub_id, te, "subscription_update", lines, 0, (te, pe))
        self._settle(co, deal, inv)

    def _one_time_invoice(self, co, deal, sub_id, t) -> None:
        pid, amount = self.cat.prices[("services", deal.currency, "one_time")]
        it = Item("", "services", pid, amount, 1, t)
        line = self._line(None, it, "invoiceitem", amount, amount, 1, t, t, False, deal, SERVICES[0])
        line["subscription_item_id"] = None
        inv = self._invoice(co, deal, None, t, "manual", [line], 0, (t, t))
        self._settle(co, deal, inv)

    def _line(self, sub_id, it: Item, kind, amount, unit, qty, ps, pe, proration, deal, desc) -> dict:
        return dict(id=self.w.stripe_id("il"), invoice_id=None, subscription_id=sub_id,
                    subscription_item_id=it.id or None, plan_id=it.price_id, type=kind, amount=int(amount),
                    unit_amount_excluding_tax=unit, currency=deal.currency, quantity=qty, period_start=ps,
                    period_end=pe, proration=proration, description=desc or f"{qty} x {PLANS.get(it.key, ('',))[0]}")

    def _renewal_opp(self, co, deal, items, term_end, owner, renewed: bool, decided: float) -> None:
        mrr = self._mrr_minor(items, deal) / (1 if deal.currency in ZERO_DECIMAL else 100)
        self.crm.renewal_opportunity(co, deal, round(mrr * 12, 2), term_end, owner, renewed, decided)

    # history rows --------------------------------------------------------------------------------
    def _emit(self, sub_id, cust, versions, items, ended) -> None:
        """History rows: each version opens a row (current, `_fivetran_end` far away); the next version,
        landed by the same sync, closes it (end and active updated in place, as the connector does)."""
        w = self.w
        # Several changes at one instant collapse to the last; history rows are ordered in time.
        versions = sorted(versions, key=lambda v: v[0])
        merged: list[tuple[float, dict]] = []
        for t, s in versions:
            if merged and abs(merged[-1][0] - t) < 1:
                merged[-1] = (merged[-1][0], s)
            else:
                merged.append((t, s))
        loads = [w.synced(t) for t, _ in merged]
        for k, (t, s) in enumerate(merged):
            row = dict(id=sub_id, customer_id=cust["id"], _fivetran_start=t, **s)
            w.buf.add("raw_stripe.subscription_history", _fivetran_end=FAR_FUTURE, _fivetran_active=True,
                      _fivetran_synced=loads[k], **row)
            if k + 1 < len(merged):
                w.buf.add("raw_stripe.subscription_history", _fivetran_end=merged[k + 1][0] - 0.001,
                          _fivetran_active=False, _fivetran_synced=loads[k + 1], **row)
        for it in items:
            ends = [x for x in (ended, it.removed) if x is not None and x <= HORIZON]
            stop = min(ends) if ends else None
            vs = sorted([v for v in it.versions if v[0] <= HORIZON and (stop is None or v[0] < stop)],
                        key=lambda v: v[0])
            loads = [w.synced(v[0]) for v in vs]
            if vs and stop is not None:
                loads.append(w.synced(stop))
            for k, (t, pid, qty) in enumerate(vs):
                row = dict(id=it.id, subscription_id=sub_id, plan_id=pid, quantity=qty, created=it.created,
                           _fivetran_start=t)
                w.buf.add("raw_stripe.subscription_item", _fivetran_end=FAR_FUTURE, _fivetran_active=True,
                          _fivetran_synced=loads[k], **row)
                nxt = vs[k + 1][0] if k + 1 < len(vs) else stop
                if nxt is not None:
                    w.buf.add("raw_stripe.subscription_item", _fivetran_end=nxt - 0.001, _fivetran_active=False,
                              _fivetran_synced=loads[k + 1], **row)
