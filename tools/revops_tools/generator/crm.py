"""Salesforce: leads worked by SDRs, converted into accounts, contacts and opportunities, won and lost."""
from __future__ import annotations

from revops_tools.generator.billing import PLANS, Billing, Catalog, Deal
from revops_tools.generator.companies import Company, Team, name_variant
from revops_tools.generator.world import COUNTRIES, DAY, HORIZON, HOUR, START, ZERO_DECIMAL, World

LEAD_SOURCE = {"paid_search": "Paid Search", "paid_social": "Paid Social", "organic_search": "Organic Search",
               "email": "Email", "referral": "Referral", "direct": "Web", "partner": "Partner Referral",
               "events": "Event", "outbound": "Outbound"}
CHANNEL_MIX = {"paid_search": 22, "paid_social": 15, "organic_search": 19, "email": 5, "referral": 8,
               "direct": 12, "partner": 6, "events": 8, "outbound": 5}
P_MQL = {"paid_search": 0.38, "paid_social": 0.32, "organic_search": 0.42, "email": 0.45, "referral": 0.5,
         "direct": 0.40, "partner": 0.55, "events": 0.5, "outbound": 0.3}
OPEN_STAGES = [("Prospecting", 10, "Pipeline"), ("Qualification", 20, "Pipeline"),
               ("Needs Analysis", 40, "Best Case"), ("Proposal", 60, "Best Case"), ("Negotiation", 80, "Commit")]
WON = ("Closed Won", 100, "Closed")
LOST = ("Closed Lost", 0, "Omitted")
WIN_P = {"self-serve": 0.40, "direct": 0.22, "partner": 0.28}
EMEA = {"GB", "DE", "FR", "NL", "ES", "SE", "IE"}


class CRM:
    def __init__(self, w: World, team: Team, cat: Catalog, mkt):
        self.w, self.team, self.cat, self.mkt = w, team, cat, mkt
        self.billing = Billing(w, cat, self)
        self.accounts: list[tuple[Company, dict]] = []

    # accounts and contacts -----------------------------------------------------------------------
    def account_for(self, co: Company, t: float, owner_role: str) -> dict:
        w = self.w
        if co.account is not None:
            # Companies' stories are not simulated in time order: an account first made for a later
            # event moves back to the earliest one that needs it (a lead converted into it, say), so
            # nothing lands referring to an account that does not exist yet.
            if co.account["created_date"] > t:
                co.account.update(created_date=t, last_modified_date=t)
                co.account_created = t
            return co.account
        name, variant = name_variant(w, co)
        country_text = w.r.choice(COUNTRIES[co.country][4])
        country_text, _ = w.messy(country_text, 0.15)
        owner = self.team.pick(owner_role, t)
        co.owner_id = owner
        acc = {"id": w.sf_id("001"), "name": name,
               "website": w.r.choice([f"www.{co.domain}", f"https://{co.domain}", f"http://www.{co.domain}/",
                                      co.domain]) if w.r.random() < 0.85 else None,
               "type": "Prospect", "industry": co.industry if w.r.random() < 0.9 else None,
               "billing_country": country_text if w.r.random() < 0.95 else None,
               "number_of_employees": co.employees if w.r.random() < 0.8 else None,
               "annual_revenue": round(co.employees * w.r.uniform(80_000, 250_000), -3) if w.r.random() < 0.5
               else None,
               "owner_id": owner, "parent_id": None, "stripe_customer_id_c": None, "created_date": t,
               "last_modified_date": t, "is_deleted": False}
        if self.accounts and w.r.random() < 0.03:
            acc["parent_id"] = w.r.choice(self.accounts)[1]["id"]
        co.account = acc
        co.account_created = t
        self.accounts.append((co, acc))
        if variant:
            w.buf.fault("raw_salesforce.account", acc["id"], "name_variant", "identity")
        return acc

    def contact_for(self, co: Company, first: str, last: str, email: str, t: float, lead_source: str | None,
                    owner: str, personal: bool) -> dict:
        w = self.w
        acc = co.account
        first_m, padded1 = w.messy(first)
        email_m, padded2 = w.messy(email)
        row = w.buf.add("raw_salesforce.contact", company_id=co.company_id, id=w.sf_id("003"),
                        account_id=acc["id"], first_name=first_m, last_name=last, email=email_m,
                        phone=w.phone(co.country) if w.r.random() < 0.7 else None,
                        title=w.r.choice(["VP Operations", "Head of RevOps", "CFO", "Director of Sales",
                                          "Operations Manager", "CTO", "Analyst", None]),
                        lead_source=lead_source, owner_id=owner, created_date=t, is_deleted=False,
                        _fivetran_synced=w.synced(t))
        if padded1 or padded2:
            w.buf.fault("raw_salesforce.contact", row["id"], "padded_text", "normalise")
        if personal:
            w.buf.fault("raw_salesforce.contact", row["id"], "personal_email", "identity")
        co.contacts.append(row)
        return row

    # tasks -----------------------------------------------------------------------------------------
    def task(self, who: str | None, what: str | None, owner: str, t: float, kind: str, subject: str,
             disposition: str | None = None, call_type: str | None = "Outbound") -> None:
        if t > HORIZON:
            return
        w = self.w
        w.buf.add("raw_salesforce.task", id=w.sf_id("00T"), who_id=who, what_id=what, owner_id=owner,
                  subject=subject, type=kind, call_type=call_type if kind == "Call" else None,
                  call_disposition=disposition if kind == "Call" else None, status="Completed",
                  activity_date=t - w.r.uniform(0, 2) * HOUR, created_date=t, is_deleted=False,
                  _fivetran_synced=w.synced(t))

    def event(self, who: str | None, what: str | None, owner: str, t_created: float, start: float,
              kind: str) -> None:
        if t_created > HORIZON:
            return
        w = self.w
        w.buf.add("raw_salesforce.event", id=w.sf_id("00U"), who_id=who, what_id=what, owner_id=owner,
                  subject=f"{kind} with prospect", type=kind, start_date_time=start, created_date=t_created,
                  is_deleted=False, _fivetran_synced=w.synced(t_created))

    # leads -----------------------------------------------------------------------------------------
    def lead(self, co: Company, t: float, channel: str) -> None:
        w = self.w
        r = w.r
        first, last = w.person()
        email, personal = w.email_for(first, last, co.domain, 0.15)
        lead_id = w.sf_id("00Q")
        campaign_id = self.mkt.lead_touches(co, first, last, email, channel, t, lead_id)
        region = "SDR - EMEA" if co.country in EMEA else "SDR - AMER"
        sdr = self.team.pick(region, t)
        statuses: list[tuple[float, str]] = [(t, "Open - Not Contacted")]
        scores: list[tuple[float, int]] = [(t, r.randrange(0, 30))]
        touched = r.random() < (0.95 if channel in ("outbound", "events") else 0.85)
        t_touch = None
        if touched:
            if r.random() < 0.45:
                t_touch = t + min(59, w.lognormal(18, 0.8)) * 60
            else:
                t_touch = t + max(61 * 60, w.lognormal(14 * HOUR, 1.2))
            kind = "Call" if r.random() < 0.6 else "Email"
            self.task(lead_id, None, sdr, t_touch, kind, f"{kind}: first touch",
                      r.choice(["Connected", "Left Voicemail", "No Answer"]))
            statuses.append((t_touch + 60, "Working - Contacted"))
        p_mql = P_MQL[channel] * (1.0 if touched else 0.45)
        mql = r.random() < p_mql
        sql = opp = False
        t_mql = t_sql = t_conv = None
        route = "status"
        if mql:
            t_mql = max(t_touch or t, t) + w.lognormal(4 * DAY, 1.0)
            x = r.random()
            route = "status" if x < 0.65 else ("score" if x < 0.9 else "skip")
            sql = touched and r.random() < 0.42
            if route == "skip" and not sql:
                route = "status"
            if route == "status":
                statuses.append((t_mql, "Marketing Qualified"))
            if route in ("status", "score"):
                # the score that made the lead an MQL, up to two hours before its status: never
                # before the lead exists (a short MQL delay would put it there)
                scored = t_mql - (r.uniform(0, 2) * HOUR if route == "status" else 0)
                scores.append((max(scored, t + 60), r.randrange(50, 75)))
        if sql:
            t_sql = t_mql + w.lognormal(3 * DAY, 0.8)
            self.task(lead_id, None, sdr, t_sql - r.uniform(0.5, 8) * HOUR, "Call", "Call: discovery booked",
                      "Meeting Booked")
            statuses.append((t_sql, "Sales Accepted"))
            self.event(lead_id, None, sdr, t_sql, t_sql + r.uniform(1, 5) * DAY, "Meeting")
            opp = r.random() < 0.7
            if opp:
                t_conv = t_sql + w.lognormal(5 * DAY, 0.8)
        # Score drift below the threshold, and follow-up calls while the lead is being worked.
        for _ in range(r.randrange(0, 4)):
            ts = t + r.uniform(0, 60) * DAY
            scores.append((ts, r.randrange(5, 49)))
        if touched:
            stop = t_conv or (t_sql or t_touch) + 30 * DAY
            n_calls = min(12, int(r.expovariate(1 / 4.5)))
            for _ in range(n_calls):
                tc = r.uniform(t_touch, max(t_touch + HOUR, stop))
                inbound = r.random() < 0.08
                subject = "Call: prospect called back" if inbound else "Call: follow-up"
                self.task(lead_id, None, sdr, tc, "Call", subject,
                          r.choices(["Connected", "Left Voicemail", "No Answer"], [3, 4, 5])[0],
                          "Inbound" if inbound else "Outbound")
            if t_sql is not None and r.random() < 0.5:
                self.task(lead_id, None, sdr, t_sql + r.uniform(1, 5) * DAY, "Meeting", "Meeting: discovery held")
        last_t = max(x[0] for x in statuses)
        if not opp and r.random() < 0.55:
            statuses.append((last_t + w.lognormal(20 * DAY, 0.7), "Unqualified"))
        if opp:
            statuses.append((t_conv, "Converted"))
        owner, moved = sdr, None
        if touched and r.random() < 0.05:
            # Territory moves: the lead changes hands once.
            moved = t_touch + r.uniform(1, 20) * DAY
            other = self.team.pick(region, moved)
            if other != sdr and moved <= HORIZON:
                self._history(lead_id, "Owner", sdr, other, moved)
                owner = other
            else:
                moved = None
        self._lead_rows(co, lead_id, first, last, email, personal, t, channel, (sdr, owner, moved), statuses,
                        scores, t_conv if opp and t_conv <= HORIZON else None, campaign_id)

    def _history(self, lead_id: str, field: str, old: str | None, new: str, t: float) -> None:
        w = self.w
        w.buf.add("raw_salesforce.lead_history", id=w.sf_id("017"), lead_id=lead_id, field=field,
                  old_value=old, new_value=new, created_date=t, _fivetran_synced=w.synced(t))

    def _lead_rows(self, co, lead_id, first, last, email, personal, t, channel, owners, statuses, scores, t_conv,
                   campaign_id) -> None:
        w = self.w
        statuses = sorted((s for s in statuses if s[0] <= HORIZON), key=lambda s: s[0])
        scores = sorted((s for s in scores if s[0] <= HORIZON), key=lambda s: s[0])
        for (_, old), (ts, new) in zip(statuses, statuses[1:]):
            self._history(lead_id, "Status", old, new, ts)
        if scores:
            # The first score is set by the scoring rule after creation: history starts from null.
            self._history(lead_id, "lead_score_c", None, str(scores[0][1]), scores[0][0] + 60)
        for (_, old), (ts, new) in zip(scores, scores[1:]):
            if old != new:
                self._history(lead_id, "lead_score_c", str(old), str(new), ts)
        lead_source = LEAD_SOURCE[channel] if w.r.random() < 0.92 else None
        conv = {"converted_account_id": None, "converted_contact_id": None, "converted_opportunity_id": None}
        if t_conv is not None:
            owner_role = self._ae_role(co, "direct")
            acc = self.account_for(co, t_conv, owner_role)
            contact = self.contact_for(co, first, last, email, t_conv, lead_source, acc["owner_id"], personal)
            opp_id = self.new_business(co, contact, t_conv, self._channel(co, channel), lead_source, campaign_id)
            conv = {"converted_account_id": acc["id"], "converted_contact_id": contact["id"],
                    "converted_opportunity_id": opp_id}
        hs_map = {"Open - Not Contacted": "NEW", "Working - Contacted": "IN_PROGRESS",
                  "Marketing Qualified": "CONNECTED", "Sales Accepted": "OPEN_DEAL", "Converted": "OPEN_DEAL",
                  "Unqualified": "UNQUALIFIED"}
        company, variant = name_variant(w, co)
        first_m, p1 = w.messy(first)
        email_m, p2 = w.messy(email)
        website = co.domain if w.r.random() < 0.4 else None
        phone = w.phone(co.country) if w.r.random() < 0.6 else None
        sdr, new_owner, moved = owners
        # One version of the lead per change of its status or owner; HubSpot follows the lifecycle.
        times = sorted({x for x, _ in statuses} | ({moved} if moved is not None else set()))
        hs_state = None
        for k, x in enumerate(times):
            reached = [st for ts, st in statuses if ts <= x]
            score_now = [v for ts, v in scores if ts <= x]
            converted = t_conv is not None and x >= t_conv
            w.buf.add("raw_salesforce.lead", company_id=co.company_id if k == 0 else None, id=lead_id,
                      first_name=first_m, last_name=last, email=email_m, company=company, website=website,
                      phone=phone, status=reached[-1], lead_source=lead_source,
                      owner_id=new_owner if moved is not None and x >= moved else sdr, is_converted=converted,
                      converted_date=t_conv if converted else None, created_date=t, is_deleted=False,
                      _fivetran_synced=w.synced(x),
                      **(conv if converted else dict.fromkeys(conv)))
            stage = ("opportunity" if converted else "salesqualifiedlead" if "Sales Accepted" in reached
                     else "marketingqualifiedlead" if "Marketing Qualified" in reached or max(
                         score_now, default=0) >= 50 else "lead")
            state = (stage, hs_map[reached[-1]])
            if state != hs_state:
                self.mkt.set_lifecycle(lead_id, stage, state[1], float(score_now[-1] if score_now else 0), x)
                hs_state = state
        co.people.append((email, first, last, lead_id))
        for kind, flag, how in (("padded_text", p1 or p2, "normalise"), ("name_variant", variant, "identity"),
                                ("personal_email", personal, "identity")):
            if flag:
                w.buf.fault("raw_salesforce.lead", lead_id, kind, how)

    def _channel(self, co: Company, lead_channel: str) -> str:
        if lead_channel == "partner":
            return "partner"
        r = self.w.r.random()
        if co.employees < 50:
            return "self-serve" if r < 0.75 else "direct"
        if co.employees < 500:
            return "self-serve" if r < 0.3 else "direct"
        return "direct"

    def _ae_role(self, co: Company, channel: str) -> str:
        if channel == "partner":
            return "AE - Partner"
        if co.employees > 1000:
            return "AE - Enterprise"
        if co.employees > 200:
            return "AE - Mid-Market"
        return "AE - SMB"

    # opportunities ---------------------------------------------------------------------------------
    def deal_for(self, co: Company, channel: str) -> Deal:
        r = self.w.r
        if channel == "self-serve":
            plan = "starter" if r.random() < 0.6 else "growth"
            billing = "annual" if r.random() < 0.25 else "monthly"
            if plan == "starter" and billing == "monthly" and co.currency == "usd" and r.random() < 0.03:
                billing = "weekly"
            seats = max(1, min(40, int(self.w.lognormal(6, 0.6))))
            coupon = r.choice(["LAUNCH20", "WELCOME50", "LOYALTY25"]) if r.random() < 0.2 else None
            return Deal("self-serve", plan, seats, billing, 12 if billing == "annual" else None, co.currency,
                        coupon if coupon != "WELCOME50" or co.currency == "usd" else None,
                        trial=r.random() < 0.4)
        big = co.employees > 800 or r.random() < 0.15
        plan = "enterprise" if big and r.random() < 0.6 else "growth"
        seats = max(5, min(600, int(self.w.lognormal(30 if plan == "growth" else 60, 0.7))))
        x = r.random()
        billing = "annual" if x < 0.68 else ("quarterly" if x < 0.75 else "monthly")
        term = r.choices([12, 24, 36], [70, 20, 10])[0] if billing == "annual" else (12 if billing == "quarterly"
                                                                                     else None)
        coupon = None
        if channel == "partner" and r.random() < 0.5:
            coupon = "PARTNER15"
        elif billing == "annual" and r.random() < 0.1:
            coupon = "ANNUAL10"
        elif co.currency == "eur" and r.random() < 0.05:
            coupon = "EURO100"
        return Deal(channel, plan, seats, billing, term, co.currency, coupon, analytics=r.random() < 0.2,
                    api=r.random() < 0.15, services=r.random() < (0.5 if plan == "enterprise" else 0.2),
                    collection="send_invoice" if billing != "monthly" and r.random() < 0.6 else
                    "charge_automatically")

    def new_business(self, co: Company, contact: dict, t: float, channel: str, lead_source: str | None,
                     campaign_id: str | None, deal: Deal | None = None, winback_at: float | None = None) -> str:
        w = self.w
        r = w.r
        deal = deal or self.deal_for(co, channel)
        owner = co.account["owner_id"] if channel != "partner" else self.team.pick("AE - Partner", t)
        tcv = deal.tcv(self.cat)
        won = True if winback_at else r.random() < WIN_P[channel]
        if winback_at:
            cycle = winback_at - t
        elif channel == "self-serve":
            cycle = r.uniform(0, 7) * DAY if won else r.uniform(3, 30) * DAY
        else:
            cycle = w.lognormal((55 if channel == "direct" else 80) * DAY, 0.45)
            if not won:
                cycle *= r.uniform(0.3, 1.1)
        stages = OPEN_STAGES if channel != "self-serve" else OPEN_STAGES[:1] + OPEN_STAGES[3:4]
        exit_at = len(stages) if won else r.randrange(1, len(stages) + 1)
        cuts = sorted(r.random() for _ in range(exit_at - 1))
        # A stage change takes at least a few minutes, even in a same-day self-serve purchase.
        stage_times = [t] + [t + c * cycle + (k + 1) * 300 for k, c in enumerate(cuts)]
        t_close = t + cycle + exit_at * 300
        expected = t + cycle * r.uniform(0.7, 1.3) if not winback_at else t_close
        estimate = round(tcv * r.uniform(0.7, 1.3), -2) if tcv > 1000 else tcv
        opp_id = w.sf_id("006")
        hist: list[tuple[float, tuple, float, float]] = []  # (t, stage, amount, expected close)
        amount = estimate
        for k in range(exit_at):
            st = stages[k]
            if st[0] == "Proposal":
                amount = tcv
            if r.random() < 0.2 and k > 0:
                expected += 30 * DAY
            hist.append((stage_times[k], st, amount, max(expected, stage_times[k])))
        final = WON if won else LOST
        if won:
            amount = tcv
        hist.append((t_close, final, amount, t_close))
        if not won and channel != "self-serve" and r.random() < 0.04:
            # Reopened: a lost deal comes back to negotiation, and sometimes closes won after all.
            t_re = t_close + r.uniform(10, 60) * DAY
            won = r.random() < 0.5
            t_close = t_re + r.uniform(5, 30) * DAY
            hist.append((t_re, OPEN_STAGES[4], tcv, t_close))
            hist.append((t_close, WON if won else LOST, tcv, t_close))
            amount = tcv
        name = f"{co.account['name'].strip()} - {PLANS[deal.plan][0]}" + (" - Win-back" if winback_at else "")
        self._opportunity_rows(co, opp_id, name, "New Business", hist, deal.currency, owner, lead_source,
                               campaign_id, deal.term_months, deal.services_fee(self.cat), channel, t)
        reached_proposal = any(h[1][0] == "Proposal" for h in hist if h[0] <= HORIZON)
        self._quotes_and_lines(co, opp_id, deal, tcv, hist, reached_proposal)
        # The AE's own activity on the deal.
        for _ in range(r.randrange(1, 6) if channel != "self-serve" else r.randrange(0, 2)):
            tt = r.uniform(t, min(t_close, HORIZON))
            kind = r.choice(["Call", "Email"])
            self.task(contact["id"], opp_id, owner, tt, kind, f"{kind}: deal follow-up",
                      r.choice(["Connected", "Left Voicemail"]))
        if channel != "self-serve" and len(hist) > 3:
            self.event(contact["id"], opp_id, owner, hist[2][0], hist[2][0] + r.uniform(1, 6) * DAY, "Demo")
        won_final = hist[-1][1] == WON and hist[-1][0] <= HORIZON
        if won_final:
            start = t_close if channel == "self-serve" else t_close + (
                r.uniform(0.5, 20) * HOUR if r.random() < 0.9 else r.uniform(2, 25) * DAY)
            if start <= HORIZON:
                self.billing.customer(co, deal, start, contact["email"])
                self.billing.start_subscription(co, deal, start, owner)
        return opp_id

    def _opportunity_rows(self, co, opp_id, name, kind, hist, currency, owner, lead_source, campaign_id, term,
                          services_fee, channel, t_created) -> None:
        """The stage history, and one version of the opportunity per stage change."""
        w = self.w
        seen = [h for h in hist if h[0] <= HORIZON]
        for ts, st, amount, close in seen:
            w.buf.add("raw_salesforce.opportunity_history", id=w.sf_id("008"), opportunity_id=opp_id,
                      stage_name=st[0], amount=amount, probability=float(st[1]), close_date=close,
                      forecast_category=st[2], created_date=ts, created_by_id=owner, is_deleted=False,
                      _fivetran_synced=w.synced(ts))
        fees = services_fee if services_fee else (0.0 if w.r.random() < 0.5 else None)
        for k, (ts, st, amount, close) in enumerate(seen):
            w.buf.add("raw_salesforce.opportunity", company_id=co.company_id if k == 0 else None, id=opp_id,
                      account_id=co.account["id"], name=name, type=kind, stage_name=st[0], amount=amount,
                      currency_iso_code=currency.upper(), probability=float(st[1]), close_date=close,
                      is_closed=st[0] in ("Closed Won", "Closed Lost"), is_won=st[0] == "Closed Won",
                      forecast_category_name=st[2], lead_source=lead_source, campaign_id=campaign_id,
                      owner_id=owner, contract_term_months_c=float(term) if term else None, one_time_fees_c=fees,
                      sales_channel_c={"self-serve": "Self-serve", "direct": "Direct", "partner": "Partner"}[channel],
                      created_date=t_created, last_modified_date=ts, is_deleted=False, _fivetran_synced=w.synced(ts))
            co.account_events.append((ts, {}))

    def _quotes_and_lines(self, co, opp_id, deal: Deal, tcv: float, hist, reached_proposal: bool) -> None:
        w = self.w
        r = w.r
        t_open = hist[0][0]
        t_prop = next((h[0] for h in hist if h[1][0] == "Proposal" and h[0] <= HORIZON), t_open)
        months = deal.term_months or 12
        div = 1 if deal.currency in ZERO_DECIMAL else 100
        for key, qty in deal.items():
            _, amount = self.cat.prices[(key, deal.currency, deal.billing)]
            per_month = amount / div / {"monthly": 1, "quarterly": 3, "annual": 12, "weekly": 12 / 52}[deal.billing]
            unit = round(per_month * months, 2)
            w.buf.add("raw_salesforce.opportunity_line_item", id=w.sf_id("00k"), opportunity_id=opp_id,
                      product_2_id=self.cat.sf_products[key], quantity=float(qty), unit_price=unit,
                      total_price=round(unit * qty, 2), created_date=t_open, is_deleted=False,
                      _fivetran_synced=w.synced(t_open))
        if deal.services:
            fee = deal.services_fee(self.cat)
            w.buf.add("raw_salesforce.opportunity_line_item", id=w.sf_id("00k"), opportunity_id=opp_id,
                      product_2_id=self.cat.sf_products["services"], quantity=1.0, unit_price=fee, total_price=fee,
                      created_date=t_open, is_deleted=False, _fivetran_synced=w.synced(t_open))
        if not reached_proposal:
            return
        final = hist[-1]
        closed = {WON[0]: "Accepted", LOST[0]: "Denied"}.get(final[1][0])
        n = 2 if r.random() < 0.2 else 1
        for k in range(n):
            # A superseded quote is denied from the start; the last one is decided when the deal closes.
            quote = dict(id=w.sf_id("0Q0"), opportunity_id=opp_id, name=f"Q-{opp_id[-6:]}-{k + 1}",
                         grand_total=round(tcv * (1.1 if k < n - 1 else 1.0), 2), created_date=t_prop + k * HOUR,
                         is_deleted=False)
            first = "Denied" if k < n - 1 else "Presented"
            w.buf.add("raw_salesforce.quote", status=first, last_modified_date=t_prop,
                      _fivetran_synced=w.synced(t_prop + k * HOUR), **quote)
            if closed is not None and final[0] <= HORIZON:
                w.buf.add("raw_salesforce.quote", status=first if k < n - 1 else closed,
                          last_modified_date=final[0], _fivetran_synced=w.synced(final[0]), **quote)

    def _simple_opportunity(self, co: Company, kind: str, amount: float, currency: str, t_created: float,
                            t_close: float, won: bool | None, owner: str, term: int) -> None:
        """An expansion, cross-sell or renewal: a short stage history ending won, lost, or still open."""
        w = self.w
        hist = [(t_created, OPEN_STAGES[0], amount, t_close), (t_created + (t_close - t_created) * 0.5,
                                                               OPEN_STAGES[4], amount, t_close)]
        if won is not None:
            hist.append((t_close, WON if won else LOST, amount, t_close))
        label = {"Expansion": "Seat expansion", "Cross-sell": "Analytics add-on", "Renewal": "Renewal"}[kind]
        self._opportunity_rows(co, w.sf_id("006"), f"{co.account['name'].strip()} - {label}", kind, hist,
                               currency, owner, None, None, term, 0.0, "direct", t_created)

    def won_upsell(self, co: Company, kind: str, amount: float, currency: str, t: float, months: int,
                   owner: str) -> None:
        if co.account is None or amount <= 0:
            return
        created = t - self.w.r.uniform(7, 45) * DAY
        self._simple_opportunity(co, kind, amount, currency, max(created, START), t, True, owner, months)

    def renewal_opportunity(self, co: Company, deal: Deal, amount: float, term_end: float, owner: str,
                            renewed: bool, decided: float) -> None:
        if co.account is None or term_end - 90 * DAY > HORIZON:
            return
        t_close = term_end if renewed else decided
        outcome = renewed if t_close <= HORIZON else None
        self._simple_opportunity(co, "Renewal", amount, deal.currency,
                                 term_end - 90 * DAY, t_close if outcome is not None else term_end, outcome, owner, 12)

    def winback_opportunity(self, co: Company, deal: Deal, t: float) -> None:
        if co.account is None or not co.contacts:
            return
        self.new_business(co, co.contacts[-1], t - self.w.r.uniform(10, 40) * DAY, deal.channel, None, None,
                          deal=deal, winback_at=t)

    def partner_accounts(self, companies: list[Company]) -> None:
        """The resellers and consultancies that refer deals: accounts of type Partner."""
        for co in companies:
            acc = self.account_for(co, START - self.w.r.uniform(30, 300) * DAY, "AE - Partner")
            acc["type"] = "Partner"

    # partner-sourced deals --------------------------------------------------------------------------
    def partner_deal(self, co: Company, t: float) -> None:
        w = self.w
        acc = self.account_for(co, t, "AE - Partner")
        first, last = w.person()
        email, personal = w.email_for(first, last, co.domain, 0.05)
        contact = self.contact_for(co, first, last, email, t, "Partner Referral", acc["owner_id"], personal)
        co.people.append((email, first, last, None))
        self.mkt.offline_contact(co, first, last, email, t, "partner")
        self.new_business(co, contact, t, "partner", "Partner Referral", None)

    # accounts are written last: their type and fields reflect everything that happened to them --------
    def write_accounts(self) -> None:
        """One version of each account at its creation and at every later change: an opportunity's stage,
        the link to its Stripe customer, the first payment, a churn, a win-back."""
        w = self.w
        for co, acc in self.accounts:
            created = acc["created_date"]
            state = dict(acc)
            paid = churned = False
            events = sorted(((max(t, created), ch) for t, ch in co.account_events), key=lambda e: e[0])
            times = [created] + [t for t, _ in events]
            k = 0
            for i, x in enumerate(times):
                if i > 0:
                    ch = events[i - 1][1]
                    paid = paid or ch.get("_paid", False)
                    churned = ch.get("_churn", churned) if "_churn" in ch else (False if ch.get("_paid") else churned)
                    state.update({c: v for c, v in ch.items() if not c.startswith("_")})
                if i + 1 < len(times) and times[i + 1] == x:
                    continue  # several changes at one instant: one version
                typ = acc["type"]
                if typ != "Partner" and paid:
                    typ = "Former Customer" if churned else "Customer"
                state.update(type=typ, last_modified_date=x)
                w.buf.add("raw_salesforce.account", company_id=co.company_id if k == 0 else None,
                          _fivetran_synced=w.synced(x), **state)
                k += 1
