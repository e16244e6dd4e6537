"""Marketing: ad platforms, web tracking, HubSpot contacts, forms and email, Salesforce campaigns."""
from __future__ import annotations

from datetime import datetime

import numpy as np
import pandas as pd

from revops_tools.generator.companies import Company, name_variant
from revops_tools.generator.world import COUNTRIES, DAY, EMAIL_EVENT_ID_SPAN, HORIZON, HOUR, START, UTC, World

SITE = "https://www.northwind-revops.example"
PAGES = ["/", "/pricing", "/product", "/product/forecasting", "/customers", "/blog/revops-metrics",
         "/blog/pipeline-velocity", "/integrations", "/about", "/security", "/docs"]
FORMS = {"demo": ("7c1f3b2e-0d1a-4b6e-9a51-3f2d7e8c9a01", "/demo"),
         "ebook": ("2b9e4d61-5c3a-4f70-8e12-6a4b9c0d1e22", "/resources/revops-guide"),
         "trial": ("9d2a7c14-3e6b-4a58-b1f0-2c8e5d7a6b33", "/signup"),
         "newsletter": ("4e8b1a93-7f2c-4d06-a3e5-1b9c6d2f8e44", "/newsletter")}
USER_AGENTS = ["Mozilla/5.0 (Macintosh; Intel Mac OS X 14_5) AppleWebKit/605.1.15 Safari/605.1.15",
               "Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 Chrome/126.0 Safari/537.36",
               "Mozilla/5.0 (X11; Linux x86_64) Gecko/20100101 Firefox/128.0",
               "Mozilla/5.0 (iPhone; CPU iPhone OS 17_5 like Mac OS X) AppleWebKit/605.1.15 Mobile/15E148"]
PARTNERS = ["partnerstack", "acme_consulting", "revops_collective", "salesloft_partner"]
REFERRERS = {"organic_search": ["https://www.google.com/", "https://www.bing.com/", "https://duckduckgo.com/"],
             "referral": ["https://www.g2.com/products/northwind", "https://www.capterra.com/p/northwind",
                          "https://techcrunch.com/2024/revops-tools", "https://www.producthunt.com/posts/northwind"],
             "organic_social": ["https://www.linkedin.com/", "https://t.co/x1y2", "https://lnkd.in/abc"]}

# platform: [(account name, currency, time zone, [(campaign pretty name, utm campaign, type, usd per day,
#             cost per click usd, start offset days, end offset days or None, name follows pattern)])]
AD_PLAN = {
    "google": [("Northwind US", "USD", "America/New_York", [
        ("Brand Search - US", "brand_search_us", "SEARCH", 260, 3.5, 0, None, True),
        ("Generic Search - US", "generic_search_us", "SEARCH", 420, 7.5, 0, None, True),
        ("Competitor Search - US", "competitor_search_us", "SEARCH", 180, 9.0, 120, None, True),
        ("Retargeting - old setup", "display_retargeting_us", "DISPLAY", 90, 1.8, 0, 700, False)]),
        ("Northwind EMEA", "EUR", "Europe/Berlin", [
            ("Brand Search - EMEA", "brand_search_emea", "SEARCH", 110, 2.8, 60, None, True),
            ("Generic Search - EMEA", "generic_search_emea", "SEARCH", 160, 6.0, 200, None, True)])],
    "facebook": [("Northwind Social", "USD", "America/Los_Angeles", [
        ("Prospecting Lookalike", "fb_prospecting_lookalike", "LEAD_GENERATION", 160, 2.2, 0, None, True),
        ("Retargeting", "fb_retargeting", "CONVERSIONS", 70, 1.5, 30, None, True),
        ("Q3 Test (do not use)", "fb_ebook_revops_guide", "LEAD_GENERATION", 60, 2.0, 540, 640, False)])],
    "linkedin": [("Northwind LinkedIn", "EUR", None, [
        ("ABM Enterprise", "li_abm_enterprise", None, 300, 11.0, 90, None, True),
        ("Lead Gen Form - RevOps Guide", "li_lead_gen_revops_guide", None, 220, 8.0, 0, None, True),
        ("Sponsored Content EMEA", "li_sponsored_content_emea", None, 120, 7.0, 365, None, True)])],
}
FX_PER_USD = {"USD": 1.0, "EUR": 0.92}
TZ_OFFSET = {"America/New_York": -5, "Europe/Berlin": 1, "America/Los_Angeles": -8, None: 0}

# Sessions (the `sessions` relation) exploded into Segment page views, deterministic per seed: every
# "random" choice is a hash of the session key, the page position and the seed. {seed}, {site},
# {pages} and {agents} are filled in by the lander; {unit} is '' for shard 0 and 'u<k>-' for shard k,
# as in World.random_id, so that page view ids of two shards never meet.
PAGE_VIEWS_SQL = """
with views as (
    select s.*, unnest(range(s.n)) as pos from sessions as s
),
timed as (
    select
        *,
        sum(case when pos = 0 then 0 else 8 + hash(skey, pos, {seed}, 'gap') % 412 end)
            over (partition by skey order by pos rows between unbounded preceding and current row) as offset_s
    from views
),
placed as (
    select
        *,
        start + offset_s + (hash(skey, pos, {seed}, 'ms') % 1000) / 1000.0 as t,
        case
            when form and pos = n - 1 then '/demo'
            when pos = 0 then landing
            else {pages}[1 + cast(hash(skey, pos, {seed}, 'page') % len({pages}) as bigint)]
        end as path
    from timed
)
select
    'pg-{unit}' || printf('%016x', hash(skey, pos, {seed}, 'id')) as id,
    anon as anonymous_id,
    "user" as user_id,
    strftime(make_timestamp(cast((t + tz * 3600) * 1000000 as bigint)), '%Y-%m-%dT%H:%M:%S.%g')
        || case when tz < 0 then '-' else '+' end
        || printf('%02d:%02d', cast(floor(abs(tz)) as int), cast(round((abs(tz) % 1) * 60) as int)) as timestamp,
    make_timestamp(cast((t + 0.05 + (hash(skey, pos, {seed}, 'rx') % 2950) / 1000.0) * 1000000 as bigint))
        as received_at,
    '{site}' || path || case when pos = 0 and src is not null
        then '?utm_source=' || src || '&utm_medium=' || med || '&utm_campaign=' || camp else '' end
        as context_page_url,
    path as context_page_path,
    case when pos = 0 then ref else '{site}/' end as context_page_referrer,
    case when pos = 0 then src end as context_campaign_source,
    case when pos = 0 then med end as context_campaign_medium,
    case when pos = 0 then camp end as context_campaign_name,
    case when pos = 0 then content end as context_campaign_content,
    case when pos = 0 then term end as context_campaign_term,
    printf('%d.%d.0.%d', 1 + hash(anon, 'ip1') % 222, hash(anon, 'ip2') % 255, 1 + hash(anon, 'ip3') % 253)
        as context_ip,
    {agents}[1 + cast(hash(anon, 'ua') % len({agents}) as bigint)] as context_user_agent,
    make_timestamp(cast((t + 600 + (hash(skey, pos, {seed}, 'sync') % 7000)) * 1000000 as bigint))
        as _fivetran_synced
from placed
order by skey, pos
"""


class Marketing:
    def __init__(self, w: World):
        self.w = w
        self.campaigns: dict[str, list[dict]] = {}  # platform -> campaign dicts
        self.sf_campaigns: dict[str, str] = {}  # utm campaign or event key -> Salesforce campaign id
        self.sessions: list[tuple] = []
        self.hubspot: dict[str, dict] = {}  # lead id -> HubSpot contact row
        self.hs_rows: list[dict] = []
        self.event_campaigns: list[tuple[float, str]] = []
        self._ads()
        self._events()

    # ads -----------------------------------------------------------------------------------------
    def _ads(self) -> None:
        w = self.w
        b = w.buf
        days = np.arange(START, HORIZON + 1, DAY)
        growth = 1 + 0.5 * (days - START) / (365.25 * DAY)
        for platform, accounts in AD_PLAN.items():
            self.campaigns[platform] = []
            frames = []
            for acc_name, currency, tz, camps in accounts:
                acc_name = w.unit_name(acc_name)  # each business unit runs its own ad accounts
                acc_id = w.num_id(f"{platform}_acc", 1_000_000_000 if platform != "linkedin" else 500_000)
                t0 = START - 200 * DAY
                if platform == "google":
                    b.add("raw_google_ads.account", id=acc_id, descriptive_name=acc_name, currency_code=currency,
                          time_zone=tz, _fivetran_synced=w.synced(t0))
                elif platform == "facebook":
                    b.add("raw_facebook_ads.account", id=acc_id, name=acc_name, currency=currency,
                          timezone_name=tz, _fivetran_synced=w.synced(t0))
                else:
                    b.add("raw_linkedin_ads.account", id=acc_id, name=acc_name, currency=currency,
                          _fivetran_synced=w.synced(t0))
                for pretty, utm, ctype, usd_day, cpc, start_off, end_off, follows in camps:
                    pretty, utm = w.unit_name(pretty), w.unit_slug(utm)
                    cid = w.num_id(f"{platform}_camp", 20_000_000_000 if platform == "google" else 600_000)
                    name = f"{pretty} | {utm}" if follows else pretty
                    ended, live = {"google": ("REMOVED", "ENABLED")}.get(platform, ("ARCHIVED", "ACTIVE"))
                    lo, hi = START + start_off * DAY, (START + end_off * DAY) if end_off else HORIZON
                    # Live from its start; a campaign that ends gets a second version then.
                    for status, t_change in [(live, lo)] + ([(ended, hi)] if end_off else []):
                        if platform == "google":
                            b.add("raw_google_ads.campaign", id=cid, account_id=acc_id, name=name, status=status,
                                  advertising_channel_type=ctype, _fivetran_synced=w.synced(t_change))
                        elif platform == "facebook":
                            b.add("raw_facebook_ads.campaign", id=cid, account_id=acc_id, name=name,
                                  status=status, objective=ctype, _fivetran_synced=w.synced(t_change))
                        else:
                            b.add("raw_linkedin_ads.campaign", id=cid, account_id=acc_id, name=name,
                                  status=status, _fivetran_synced=w.synced(t_change))
                    mask = (days >= lo) & (days <= hi)
                    d = days[mask]
                    n = len(d)
                    weekday = np.where(((d // DAY).astype(int) + 3) % 7 >= 5, 0.55, 1.1)
                    spend_usd = usd_day * w.scale * growth[mask] * weekday * w.np.lognormal(0, 0.25, n)
                    clicks = w.np.poisson(spend_usd / cpc)
                    spend_usd = np.where(clicks == 0, 0.0, spend_usd)  # paid per click: no click, no cost
                    ctr = {"google": 0.045, "facebook": 0.009, "linkedin": 0.006}[platform]
                    impressions = np.maximum(clicks, (clicks / ctr * w.np.lognormal(0, 0.15, n)).astype(np.int64))
                    spend_local = np.round(spend_usd * FX_PER_USD[currency], 2)
                    frame = pd.DataFrame({"day": d, "campaign_id": cid, "account_id": acc_id,
                                          "impressions": impressions, "clicks": clicks, "spend": spend_local})
                    frames.append(frame)
                    self.campaigns[platform].append({"id": cid, "utm": utm, "lo": lo, "hi": hi, "tz": tz,
                                                     "clicks": clicks, "days": d})
                    sf = w.sf_id("701")
                    self.sf_campaigns[utm] = sf
                    # The Salesforce campaign's actual cost follows the spend: a version a day.
                    camp = dict(id=sf, name=f"{platform.title()} - {pretty}",
                                type="Paid Search" if platform == "google" else "Paid Social", start_date=lo,
                                end_date=hi if end_off else None, budgeted_cost=round(usd_day * w.scale * 30, -2),
                                is_deleted=False)
                    spent = np.cumsum(spend_usd)
                    for k, day in enumerate(d.tolist()):
                        b.add("raw_salesforce.campaign", status="Completed" if end_off and day + DAY > hi
                              else "In Progress", actual_cost=round(float(spent[k]), 2),
                              _fivetran_synced=w.synced(day), **camp)
            self._ad_stats(platform, pd.concat(frames, ignore_index=True))

    def _ad_stats(self, platform: str, f: pd.DataFrame) -> None:
        w = self.w
        n = len(f)
        at = f["day"].to_numpy()
        synced = at + DAY + w.np.uniform(2, 10, n) * HOUR
        if platform == "google":
            out = pd.DataFrame({"date": f["day"], "account_id": f["account_id"], "campaign_id": f["campaign_id"],
                                "impressions": f["impressions"], "clicks": f["clicks"],
                                "cost_micros": (f["spend"] * 1_000_000).round().astype(np.int64),
                                "conversions": w.np.binomial(f["clicks"], 0.03).astype(float),
                                "conversions_value": 0.0, "_fivetran_synced": synced, "_at": at})
            out["conversions_value"] = out["conversions"] * 150.0
            self.w.buf.frames["raw_google_ads.campaign_stats"] = out
        elif platform == "facebook":
            freq = w.np.uniform(1.2, 3.0, n)
            impressions = f["impressions"].to_numpy()
            reach = np.where(impressions > 0, np.maximum(1, (impressions / freq).astype(np.int64)), 0)
            out = pd.DataFrame({"date": f["day"], "account_id": f["account_id"], "campaign_id": f["campaign_id"],
                                "impressions": impressions, "reach": reach,
                                "frequency": np.where(reach > 0, np.round(impressions / np.maximum(reach, 1), 4),
                                                      np.nan),
                                "inline_link_clicks": f["clicks"], "spend": f["spend"], "_fivetran_synced": synced,
                                "_at": at})
            self.w.buf.frames["raw_facebook_ads.basic_campaign"] = out
        else:
            out = pd.DataFrame({"day": f["day"], "campaign_id": f["campaign_id"], "impressions": f["impressions"],
                                "clicks": f["clicks"], "cost_in_local_currency": f["spend"],
                                "_fivetran_synced": synced, "_at": at})
            self.w.buf.frames["raw_linkedin_ads.ad_analytics_by_campaign"] = out

    def _events(self) -> None:
        """Webinars and trade shows, a few a quarter: they bring event leads and touch known contacts."""
        w = self.w
        t = START + 20 * DAY
        k = 0
        while t < HORIZON:
            k += 1
            kind = "Webinar" if k % 3 else "Trade Show"
            sf = w.sf_id("701")
            cost = 3_000 if kind == "Webinar" else 40_000
            # Set up ten days ahead (invitations go out a week before); completed two days after.
            camp = dict(id=sf, name=w.unit_name(f"{kind} {datetime.fromtimestamp(t, UTC):%Y-%m} #{k}"), type=kind,
                        start_date=t, end_date=t + DAY, budgeted_cost=float(cost),
                        actual_cost=round(cost * w.r.uniform(0.8, 1.2), 2), is_deleted=False)
            w.buf.add("raw_salesforce.campaign", status="In Progress", _fivetran_synced=w.synced(t - 10 * DAY), **camp)
            w.buf.add("raw_salesforce.campaign", status="Completed", _fivetran_synced=w.synced(t + 2 * DAY), **camp)
            self.event_campaigns.append((t, sf))
            t += w.r.uniform(20, 40) * DAY

    def paid_campaign(self, platform: str, t: float) -> dict | None:
        live = [c for c in self.campaigns[platform] if c["lo"] <= t <= c["hi"]]
        return self.w.r.choice(live) if live else None

    # touches of one person -----------------------------------------------------------------------
    def _session(self, anon: str, user: str | None, t: float, channel: str, co: Company, landing: str | None = None,
                 form: bool = False) -> str | None:
        """Adds a web session; returns the Salesforce campaign id its paid click belongs to, if any."""
        w = self.w
        r = w.r
        utm = [None] * 5
        referrer = None
        sf_campaign = None
        if channel == "paid_search" or channel == "paid_social":
            platform = "google" if channel == "paid_search" else r.choice(["facebook", "linkedin"])
            camp = self.paid_campaign(platform, t)
            if camp is None or (channel == "paid_search" and r.random() < 0.08):
                utm[:3] = ["bing", "cpc", "bing_brand_us"]
            else:
                src = {"google": "google", "facebook": r.choice(["facebook", "fb"]), "linkedin": "linkedin"}[platform]
                medium = "cpc" if platform == "google" else r.choice(["paid_social", "paid_social", "paidsocial"])
                utm[:3] = [src, medium, camp["utm"]]
                utm[3] = r.choice(["ad_a", "ad_b", None])
                utm[4] = r.choice(["revops software", "pipeline analytics", None]) if platform == "google" else None
                sf_campaign = self.sf_campaigns[camp["utm"]]
            referrer = {"google": "https://www.google.com/", "facebook": "https://m.facebook.com/",
                        "linkedin": "https://www.linkedin.com/"}.get(platform)
        elif channel == "email":
            utm[:3] = ["hubspot", "email", f"newsletter_{datetime.fromtimestamp(t, UTC):%Y_%m}"]
        elif channel == "partner":
            utm[:3] = [r.choice(PARTNERS), r.choice(["partner", "affiliate"]), "partner_program"]
        elif channel == "referral":
            referrer = r.choice(REFERRERS["referral"])
            if r.random() < 0.3:
                utm[:3] = [referrer.split("/")[2].replace("www.", "").split(".")[0], "referral", "review_sites"]
        elif channel == "organic_search":
            referrer = r.choice(REFERRERS["organic_search"])
        elif channel == "organic_social":
            referrer = r.choice(REFERRERS["organic_social"])
        elif channel == "other":
            utm[:3] = ["podcast_revops_weekly", "audio", "spring_sponsorship"]
        tz = COUNTRIES[co.country][2] if co is not None else r.choice([-8, -5, 0, 1])
        n_pages = 1 + int(r.expovariate(1 / 1.6))
        self.sessions.append((anon, user, t, min(n_pages, 12), landing or r.choice(PAGES), *utm, referrer, tz,
                              form))
        return sf_campaign

    def lead_touches(self, co: Company, first: str, last: str, email: str, channel: str, t: float,
                     lead_id: str) -> str | None:
        """Sessions before the lead, the form fill that created it, and its HubSpot contact."""
        w = self.w
        r = w.r
        if channel in ("events", "outbound"):
            sf = None
            if channel == "events":
                past = [c for c in self.event_campaigns if c[0] <= t]
                if past:
                    sf = past[-1][1]
                    self.member(sf, lead_id, None, t, True)
            self.offline_contact(co, first, last, email, t, channel, lead_id)
            return sf
        anon = w.random_id("anon-")
        # Earlier visits: some inside the attribution window, some long before it.
        for _ in range(int(r.expovariate(1 / 1.3))):
            back = r.uniform(1, 150) * DAY
            self._session(anon, None, t - back, r.choice([channel, "direct", "organic_search", "other"]
                                                         if r.random() < 0.05 else [channel, "direct",
                                                                                    "organic_search"]), co)
        form = r.choices(["demo", "ebook", "trial", "newsletter"], [4, 3, 2, 1])[0]
        fill = t - r.uniform(1, 10) * 60
        sf_campaign = self._session(anon, None, fill - r.uniform(1, 8) * 60, channel, co, None, form=True)
        if sf_campaign:
            self.member(sf_campaign, lead_id, None, t, True)
        hs = self._hubspot_contact(co, first, last, email, fill, channel, lead_id)
        user_id = w.random_id("usr_")
        email_typed, _ = w.messy(email, 0.05)
        offset = COUNTRIES[co.country][2]
        w.buf.add("raw_web.identifies", company_id=co.company_id, id=w.random_id("msg-"),
                  anonymous_id=anon, user_id=user_id, email=email_typed, timestamp=_iso_offset(fill, offset),
                  _fivetran_synced=w.synced(fill))
        w.buf.source_records[-1] = ("raw_web.identifies", user_id, co.company_id)
        w.buf.add("raw_hubspot.form_submission", contact_id=hs["id"], form_id=FORMS[form][0],
                  page_url=SITE + FORMS[form][1], timestamp=fill,
                  conversion_id=f"{w.random_id('')}-{len(self.sessions)}",
                  _fivetran_synced=w.synced(fill))
        # Later visits of the known person.
        for _ in range(int(r.expovariate(1 / 1.5))):
            later = t + r.uniform(1, 200) * DAY
            if later < HORIZON:
                self._session(anon, user_id, later, r.choice(["direct", "email", "organic_search", channel]), co)
        return sf_campaign

    def offline_contact(self, co: Company, first: str, last: str, email: str, t: float, channel: str,
                        lead_id: str | None = None) -> None:
        if self.w.r.random() < 0.7:
            self._hubspot_contact(co, first, last, email, t + 5 * 60, channel, lead_id)

    def _hubspot_contact(self, co, first, last, email, t, channel, lead_id) -> dict:
        w = self.w
        source = {"paid_search": "PAID_SEARCH", "paid_social": "PAID_SOCIAL", "organic_search": "ORGANIC_SEARCH",
                  "email": "EMAIL_MARKETING", "referral": "REFERRALS", "direct": "DIRECT_TRAFFIC",
                  "partner": "OTHER_CAMPAIGNS", "events": "OFFLINE", "outbound": "OFFLINE"}[channel]
        merged = None
        if w.r.random() < 0.03:
            # The same person signed up before with another address; HubSpot merged the two records.
            old_email, _ = w.email_for(first, last, co.domain, 0.8)
            # Landed with the merge: the old record reaches the warehouse when the survivor does.
            merged = self._hs_row(co, first, last, old_email, t - w.r.uniform(30, 300) * DAY, source, None, t)
            w.buf.fault("raw_hubspot.contact", merged["id"], "merged_contact", "merge")
        row = self._hs_row(co, first, last, email, t, source, merged["id"] if merged else None)
        if lead_id:
            self.hubspot[lead_id] = row
        return row

    def _hs_row(self, co, first, last, email, t, source, merged_id, landed: float | None = None) -> dict:
        w = self.w
        hs_id = w.num_id("hs_contact", 100_000)
        email_m, padded = w.messy(email)
        company, variant = name_variant(w, co)
        row = w.buf.add("raw_hubspot.contact", company_id=co.company_id, id=hs_id, property_email=email_m,
                        property_firstname=first, property_lastname=last, property_company=company,
                        property_website=co.domain if w.r.random() < 0.5 else None,
                        property_lifecyclestage="lead", property_hs_lead_status="NEW",
                        property_hubspotscore=float(w.r.randrange(0, 40)), property_hs_analytics_source=source,
                        property_createdate=t, property_hs_merged_object_ids=merged_id,
                        _fivetran_deleted=False, _fivetran_synced=w.synced(t if landed is None else landed))
        self.hs_rows.append(row)
        for kind, flag, how in (("padded_text", padded, "normalise"), ("name_variant", variant, "identity"),
                                ("personal_email", email.split("@")[1] in ("gmail.com", "yahoo.com",
                                                                          "outlook.com", "hotmail.com"),
                                 "identity")):
            if flag:
                w.buf.fault("raw_hubspot.contact", hs_id, kind, how)
        return row

    def set_lifecycle(self, lead_id: str, stage: str, status: str, score: float, t: float) -> None:
        """A new version of the lead's HubSpot contact, as of t."""
        row = self.hubspot.get(lead_id)
        if row is not None:
            t = max(t, row["_at"])
            self.hubspot[lead_id] = self.w.buf.version(
                "raw_hubspot.contact", row, self.w.synced(t), property_lifecyclestage=stage,
                property_hs_lead_status=status, property_hubspotscore=score)

    def member(self, campaign_id: str, lead_id: str | None, contact_id: str | None, t: float, responded: bool,
               ) -> None:
        if t > HORIZON:
            return
        w = self.w
        w.buf.add("raw_salesforce.campaign_member", id=w.sf_id("00v"), campaign_id=campaign_id, lead_id=lead_id,
                  contact_id=contact_id, status="Responded" if responded else "Sent", has_responded=responded,
                  first_responded_date=t if responded else None, created_date=t - (0 if responded else DAY),
                  is_deleted=False, _fivetran_synced=w.synced(t))

    # what happens to everyone, done at the end ---------------------------------------------------
    def webinar_invites(self, contacts: list[dict]) -> None:
        """Known contacts are invited to webinars; those who attend are campaign touches."""
        w = self.w
        created = np.array([c["created_date"] for c in contacts]) if contacts else np.array([])
        for t, sf in self.event_campaigns:
            idx = np.flatnonzero(created < t)
            if len(idx) == 0:
                continue
            chosen = w.np.choice(idx, size=max(1, int(len(idx) * 0.15)), replace=False)
            for i in sorted(chosen.tolist()):
                responded = w.r.random() < 0.25
                self.member(sf, None, contacts[i]["id"], t - (0 if responded else 7 * DAY), responded)

    def anonymous_sessions(self) -> None:
        """Visitors who never become known: paid clicks that bounce, organic and direct traffic."""
        w = self.w
        for platform, camps in self.campaigns.items():
            src = {"google": "google", "facebook": "facebook", "linkedin": "linkedin"}[platform]
            med = "cpc" if platform == "google" else "paid_social"
            for c in camps:
                n = w.np.binomial(c["clicks"], 0.25)
                starts = np.repeat(c["days"], n) - TZ_OFFSET[c["tz"]] * HOUR + w.np.uniform(0, DAY, int(n.sum()))
                for t in starts[starts <= HORIZON].tolist():
                    self.sessions.append((w.random_id("anon-"), None, t,
                                          1 + int(w.r.expovariate(1 / 0.8)), w.r.choice(PAGES), src, med, c["utm"],
                                          None, None, None, w.r.choice([-8, -5, 0, 1]), False))
        n = int(60_000 * w.scale)
        times = w.growth_times(n, 0.5)
        channels = w.r.choices(["direct", "organic_search", "organic_social", "referral", "email", "other"],
                               [30, 40, 10, 12, 6, 2], k=n)
        for t, ch in zip(times.tolist(), channels):
            self._session(w.random_id("anon-"), None, t, ch, None)

    def page_views(self) -> None:
        """Hands the sessions to the lander, which explodes them into page views inside DuckDB
        (PAGE_VIEWS_SQL): at scale 10 that is over ten million rows, too many for Python objects."""
        s = pd.DataFrame(self.sessions, columns=["anon", "user", "start", "n", "landing", "src", "med", "camp",
                                                 "content", "term", "ref", "tz", "form"])
        self.sessions = []
        s = s[s["start"] <= HORIZON].reset_index(drop=True)
        s.insert(0, "skey", np.arange(len(s), dtype=np.int64))
        s["tz"] = s["tz"].astype(float)
        self.w.sessions_frame = s

    def email(self) -> None:
        """HubSpot email campaigns and their events, for the contacts that existed at each send."""
        w = self.w
        contacts = [c for c in self.hs_rows]
        created = np.array([c["property_createdate"] for c in contacts])
        emails = np.array([c["property_email"].strip().lower() for c in contacts])
        frames = []
        t = START + 10 * DAY
        k = 0
        while t < HORIZON:
            k += 1
            month = datetime.fromtimestamp(t, UTC)
            kind = "newsletter" if k % 3 else "nurture"
            cid = w.num_id("hs_email_campaign", 30_000_000)
            slug = f"{kind}_{month:%Y_%m}"  # the utm_campaign of the email's links, as web sessions see it
            w.buf.add("raw_hubspot.email_campaign", id=cid, name=w.unit_name(f"{kind.title()} {month:%B %Y}"),
                      subject=w.r.choice(["5 RevOps metrics your board asks for", "Pipeline velocity, explained",
                                          "What's new in Northwind", "Forecasting without spreadsheets"]),
                      type="BATCH_EMAIL" if kind == "newsletter" else "AUTOMATED_EMAIL", created=t - 2 * DAY,
                      _fivetran_synced=w.synced(t - 2 * DAY))
            idx = np.flatnonzero(created < t)
            if len(idx):
                pick = idx[w.np.random(len(idx)) < 0.10]
                n = len(pick)
                sent_t = t + w.np.uniform(0, 600, n)
                bounced = w.np.random(n) < 0.03
                opened = ~bounced & (w.np.random(n) < 0.24)
                clicked = opened & (w.np.random(n) < 0.16)
                unsub = opened & (w.np.random(n) < 0.01)
                parts = [("SENT", np.ones(n, bool), 0), ("DELIVERED", ~bounced, 5), ("BOUNCE", bounced, 5),
                         ("OPEN", opened, None), ("CLICK", clicked, None), ("UNSUBSCRIBED", unsub, None)]
                open_delay = w.np.lognormal(np.log(3 * HOUR), 1.2, n)
                for etype, mask, delay in parts:
                    m = np.flatnonzero(mask)
                    if not len(m):
                        continue
                    et = sent_t[m] + (delay if delay is not None else open_delay[m] * (
                        1.0 if etype == "OPEN" else 1.05))
                    frames.append(pd.DataFrame({
                        "type": etype, "recipient": emails[pick[m]], "email_campaign_id": cid,
                        "url": f"{SITE}/blog/revops-metrics?utm_source=hubspot&utm_medium=email&utm_campaign={slug}"
                        if etype == "CLICK" else None, "created": et}))
            t += w.r.uniform(8, 13) * DAY
        ev = pd.concat(frames, ignore_index=True)
        ev = ev[ev["created"] <= HORIZON].sort_values(["created", "type"], kind="stable").reset_index(drop=True)
        first = 1_000_000 + w.shard * EMAIL_EVENT_ID_SPAN
        ev.insert(0, "id", [f"{x:019d}" for x in range(first, first + len(ev))])
        ev["_fivetran_synced"] = ev["created"] + w.np.uniform(0.1, 6, len(ev)) * HOUR
        ev["_at"] = ev["created"]
        w.buf.frames["raw_hubspot.email_event"] = ev


def page_views_sql(seed: int, shard: int = 0) -> str:
    def as_list(values: list[str]) -> str:
        return "[" + ", ".join("'" + v.replace("'", "''") + "'" for v in values) + "]"

    return (PAGE_VIEWS_SQL.replace("{seed}", str(int(seed))).replace("{site}", SITE)
            .replace("{unit}", f"u{shard}-" if shard else "")
            .replace("{pages}", as_list(PAGES)).replace("{agents}", as_list(USER_AGENTS)))


def _iso_offset(t: float, offset_hours: float) -> str:
    return _iso_offset_vec(np.array([t]), np.array([float(offset_hours)]))[0]


def _iso_offset_vec(t: np.ndarray, offset_hours: np.ndarray) -> np.ndarray:
    local = ((t + offset_hours * 3600) * 1000).astype("int64").astype("datetime64[ms]")
    body = np.datetime_as_string(local, unit="ms")
    sign = np.where(offset_hours < 0, "-", "+")
    a = np.abs(offset_hours)
    hh = np.char.zfill(np.floor(a).astype(int).astype(str), 2)
    mm = np.char.zfill(np.round((a % 1) * 60).astype(int).astype(str), 2)
    return np.char.add(np.char.add(np.char.add(np.char.add(body.astype(str), sign), hh), ":"), mm)
