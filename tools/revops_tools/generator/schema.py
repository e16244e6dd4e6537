"""The raw tables the generator lands: names, columns and types, as the connectors land them.

Columns follow ../shared/source-contract.md exactly, in its order, followed by the loader's own
columns. Types are DuckDB types, except the generator's time encodings, which say how an instant
(held internally as epoch seconds, UTC) is written:

- ``SFDT``: Salesforce datetime string ``2024-03-01T12:34:56.000+0000``
- ``SFDATE``: Salesforce date string ``2024-03-01``
- ``TS``: ``TIMESTAMP`` in UTC
- ``MS``: ``BIGINT`` epoch milliseconds (HubSpot)
- ``DATE``: ``DATE`` (the value is already a local calendar day, as epoch seconds of its midnight)
"""
from __future__ import annotations

V, B, I, D, BOOL = "VARCHAR", "BIGINT", "INTEGER", "DOUBLE", "BOOLEAN"
SFDT, SFDATE, TS, MS, DATE = "SFDT", "SFDATE", "TS", "MS", "DATE"

SYNCED = [("_fivetran_synced", TS)]
HISTORY = [("_fivetran_start", TS), ("_fivetran_end", TS), ("_fivetran_active", BOOL)]


def _cols(spec: str, types: dict[str, str], default: str = V) -> list[tuple[str, str]]:
    return [(c.strip(), types.get(c.strip(), default)) for c in spec.split(",")]


TABLES: dict[str, list[tuple[str, str]]] = {
    # ---------------------------------------------------------------- Salesforce
    "raw_salesforce.user": _cols(
        "id, name, email, user_role_id, manager_id, department, title, is_active, created_date",
        {"is_active": BOOL, "created_date": SFDT},
    ) + SYNCED,
    "raw_salesforce.user_role": _cols("id, name, parent_role_id", {}) + SYNCED,
    "raw_salesforce.account": _cols(
        "id, name, website, type, industry, billing_country, number_of_employees, annual_revenue, owner_id, "
        "parent_id, stripe_customer_id_c, created_date, last_modified_date, is_deleted",
        {"number_of_employees": I, "annual_revenue": D, "created_date": SFDT, "last_modified_date": SFDT,
         "is_deleted": BOOL},
    ) + SYNCED,
    "raw_salesforce.contact": _cols(
        "id, account_id, first_name, last_name, email, phone, title, lead_source, owner_id, created_date, is_deleted",
        {"created_date": SFDT, "is_deleted": BOOL},
    ) + SYNCED,
    "raw_salesforce.lead": _cols(
        "id, first_name, last_name, email, company, website, phone, status, lead_source, owner_id, is_converted, "
        "converted_date, converted_account_id, converted_contact_id, converted_opportunity_id, created_date, "
        "is_deleted",
        {"is_converted": BOOL, "converted_date": SFDATE, "created_date": SFDT, "is_deleted": BOOL},
    ) + SYNCED,
    "raw_salesforce.lead_history": _cols(
        "id, lead_id, field, old_value, new_value, created_date", {"created_date": SFDT}
    ) + SYNCED,
    "raw_salesforce.opportunity": _cols(
        "id, account_id, name, type, stage_name, amount, currency_iso_code, probability, close_date, is_closed, "
        "is_won, forecast_category_name, lead_source, campaign_id, owner_id, contract_term_months_c, "
        "one_time_fees_c, sales_channel_c, created_date, last_modified_date, is_deleted",
        {"amount": D, "probability": D, "close_date": SFDATE, "is_closed": BOOL, "is_won": BOOL,
         "contract_term_months_c": D, "one_time_fees_c": D, "created_date": SFDT, "last_modified_date": SFDT,
         "is_deleted": BOOL},
    ) + SYNCED,
    "raw_salesforce.opportunity_history": _cols(
        "id, opportunity_id, stage_name, amount, probability, close_date, forecast_category, created_date, "
        "created_by_id, is_deleted",
        {"amount": D, "probability": D, "close_date": SFDATE, "created_date": SFDT, "is_deleted": BOOL},
    ) + SYNCED,
    "raw_salesforce.opportunity_line_item": _cols(
        "id, opportunity_id, product_2_id, quantity, unit_price, total_price, created_date, is_deleted",
        {"quantity": D, "unit_price": D, "total_price": D, "created_date": SFDT, "is_deleted": BOOL},
    ) + SYNCED,
    "raw_salesforce.product_2": _cols(
        "id, name, product_code, family, is_active", {"is_active": BOOL}
    ) + SYNCED,
    "raw_salesforce.quote": _cols(
        "id, opportunity_id, name, status, grand_total, created_date, last_modified_date, is_deleted",
        {"grand_total": D, "created_date": SFDT, "last_modified_date": SFDT, "is_deleted": BOOL},
    ) + SYNCED,
    "raw_salesforce.task": _cols(
        "id, who_id, what_id, owner_id, subject, type, call_type, call_disposition, status, activity_date, "
        "created_date, is_deleted",
        {"activity_date": SFDATE, "created_date": SFDT, "is_deleted": BOOL},
    ) + SYNCED,
    "raw_salesforce.event": _cols(
        "id, who_id, what_id, owner_id, subject, type, start_date_time, created_date, is_deleted",
        {"start_date_time": SFDT, "created_date": SFDT, "is_deleted": BOOL},
    ) + SYNCED,
    "raw_salesforce.campaign": _cols(
        "id, name, type, status, start_date, end_date, budgeted_cost, actual_cost, is_deleted",
        {"start_date": SFDATE, "end_date": SFDATE, "budgeted_cost": D, "actual_cost": D, "is_deleted": BOOL},
    ) + SYNCED,
    "raw_salesforce.campaign_member": _cols(
        "id, campaign_id, lead_id, contact_id, status, has_responded, first_responded_date, created_date, "
        "is_deleted",
        {"has_responded": BOOL, "first_responded_date": SFDATE, "created_date": SFDT, "is_deleted": BOOL},
    ) + SYNCED,
    "raw_salesforce.forecasting_quota": _cols(
        "id, quota_owner_id, start_date, quota_amount, currency_iso_code",
        {"start_date": SFDATE, "quota_amount": D},
    ) + SYNCED,
    # ---------------------------------------------------------------- Stripe
    "raw_stripe.customer": _cols(
        "id, email, name, description, currency, address_country, metadata, delinquent, created, is_deleted",
        {"delinquent": BOOL, "created": TS, "is_deleted": BOOL},
    ) + SYNCED,
    "raw_stripe.product": _cols("id, name, active, created", {"active": BOOL, "created": TS}) + SYNCED,
    "raw_stripe.price": _cols(
        "id, product_id, currency, unit_amount, type, recurring_interval, recurring_interval_count, "
        "recurring_usage_type, nickname, active, created",
        {"unit_amount": B, "recurring_interval_count": I, "active": BOOL, "created": TS},
    ) + SYNCED,
    "raw_stripe.subscription_history": _cols(
        "id, customer_id, status, created, start_date, trial_start, trial_end, current_period_start, "
        "current_period_end, cancel_at_period_end, cancel_at, canceled_at, ended_at, collection_method, metadata",
        {"created": TS, "start_date": TS, "trial_start": TS, "trial_end": TS, "current_period_start": TS,
         "current_period_end": TS, "cancel_at_period_end": BOOL, "cancel_at": TS, "canceled_at": TS,
         "ended_at": TS},
    ) + HISTORY + SYNCED,
    "raw_stripe.subscription_item": _cols(
        "id, subscription_id, plan_id, quantity, created", {"quantity": B, "created": TS}
    ) + HISTORY + SYNCED,
    "raw_stripe.coupon": _cols(
        "id, name, amount_off, percent_off, currency, duration, duration_in_months, created",
        {"amount_off": B, "percent_off": D, "duration_in_months": I, "created": TS},
    ) + SYNCED,
    "raw_stripe.discount": _cols(
        "id, coupon_id, customer_id, subscription_id, start, end", {"start": TS, "end": TS}
    ) + SYNCED,
    "raw_stripe.invoice": _cols(
        "id, number, customer_id, subscription_id, status, billing_reason, currency, subtotal, tax, total, "
        "amount_due, amount_paid, amount_remaining, created, due_date, period_start, period_end, "
        "status_transitions_finalized_at, status_transitions_paid_at, status_transitions_voided_at, "
        "status_transitions_marked_uncollectible_at",
        {"subtotal": B, "tax": B, "total": B, "amount_due": B, "amount_paid": B, "amount_remaining": B,
         "created": TS, "due_date": TS, "period_start": TS, "period_end": TS,
         "status_transitions_finalized_at": TS, "status_transitions_paid_at": TS,
         "status_transitions_voided_at": TS, "status_transitions_marked_uncollectible_at": TS},
    ) + SYNCED,
    "raw_stripe.invoice_line_item": _cols(
        "id, invoice_id, subscription_id, subscription_item_id, plan_id, type, amount, unit_amount_excluding_tax, "
        "currency, quantity, period_start, period_end, proration, description",
        {"amount": B, "unit_amount_excluding_tax": D, "quantity": B, "period_start": TS, "period_end": TS,
         "proration": BOOL},
    ) + SYNCED,
    "raw_stripe.charge": _cols(
        "id, customer_id, invoice_id, amount, amount_refunded, currency, status, failure_code, paid, captured, "
        "created",
        {"amount": B, "amount_refunded": B, "paid": BOOL, "captured": BOOL, "created": TS},
    ) + SYNCED,
    "raw_stripe.refund": _cols(
        "id, charge_id, amount, currency, status, reason, created", {"amount": B, "created": TS}
    ) + SYNCED,
    "raw_stripe.credit_note": _cols(
        "id, invoice_id, amount, currency, status, type, reason, created, voided_at",
        {"amount": B, "created": TS, "voided_at": TS},
    ) + SYNCED,
    # ---------------------------------------------------------------- HubSpot
    "raw_hubspot.contact": _cols(
        "id, property_email, property_firstname, property_lastname, property_company, property_website, "
        "property_lifecyclestage, property_hs_lead_status, property_hubspotscore, property_hs_analytics_source, "
        "property_createdate, property_hs_merged_object_ids, _fivetran_deleted",
        {"property_hubspotscore": D, "property_createdate": MS, "_fivetran_deleted": BOOL},
    ) + SYNCED,
    "raw_hubspot.form_submission": _cols(
        "contact_id, form_id, page_url, timestamp, conversion_id", {"timestamp": MS}
    ) + SYNCED,
    "raw_hubspot.email_campaign": _cols("id, name, subject, type, created", {"created": MS}) + SYNCED,
    "raw_hubspot.email_event": _cols(
        "id, type, recipient, email_campaign_id, url, created", {"created": MS}
    ) + SYNCED,
    # ---------------------------------------------------------------- Ads
    "raw_google_ads.account": _cols("id, descriptive_name, currency_code, time_zone", {}) + SYNCED,
    "raw_google_ads.campaign": _cols("id, account_id, name, status, advertising_channel_type", {}) + SYNCED,
    "raw_google_ads.campaign_stats": _cols(
        "date, account_id, campaign_id, impressions, clicks, cost_micros, conversions, conversions_value",
        {"date": DATE, "impressions": B, "clicks": B, "cost_micros": B, "conversions": D, "conversions_value": D},
    ) + SYNCED,
    "raw_facebook_ads.account": _cols("id, name, currency, timezone_name", {}) + SYNCED,
    "raw_facebook_ads.campaign": _cols("id, account_id, name, status, objective", {}) + SYNCED,
    "raw_facebook_ads.basic_campaign": _cols(
        "date, account_id, campaign_id, impressions, reach, frequency, inline_link_clicks, spend",
        {"date": DATE, "impressions": B, "reach": B, "frequency": D, "inline_link_clicks": B, "spend": D},
    ) + SYNCED,
    "raw_linkedin_ads.account": _cols("id, name, currency", {}) + SYNCED,
    "raw_linkedin_ads.campaign": _cols("id, account_id, name, status", {}) + SYNCED,
    "raw_linkedin_ads.ad_analytics_by_campaign": _cols(
        "day, campaign_id, impressions, clicks, cost_in_local_currency",
        {"day": DATE, "impressions": B, "clicks": B, "cost_in_local_currency": D},
    ) + SYNCED,
    # ---------------------------------------------------------------- Web
    "raw_web.pages": _cols(
        "id, anonymous_id, user_id, timestamp, received_at, context_page_url, context_page_path, "
        "context_page_referrer, context_campaign_source, context_campaign_medium, context_campaign_name, "
        "context_campaign_content, context_campaign_term, context_ip, context_user_agent",
        {"received_at": TS},
    ) + SYNCED,
    "raw_web.identifies": _cols("id, anonymous_id, user_id, email, timestamp", {}) + SYNCED,
}

# Tables whose rows have no single id column: the natural key that names a row in truth tables.
NATURAL_KEYS: dict[str, tuple[str, ...]] = {
    "raw_hubspot.form_submission": ("conversion_id",),
    "raw_google_ads.campaign_stats": ("date", "campaign_id"),
    "raw_facebook_ads.basic_campaign": ("date", "campaign_id"),
    "raw_linkedin_ads.ad_analytics_by_campaign": ("day", "campaign_id"),
}

TRUTH_TABLES: dict[str, list[tuple[str, str]]] = {
    "truth.companies": [("company_id", V), ("name", V), ("domain", V), ("country_code", V),
                        ("employees", I), ("industry", V)],
    "truth.source_records": [("source_table", V), ("source_id", V), ("company_id", V)],
    "truth.injected_faults": [("source_table", V), ("source_id", V), ("fault_kind", V),
                              ("expected_handling", V)],
    # One row per generate or append run: what `append` needs to land the same world's next days.
    # `shards`: how many business units (shards) the world of `scale` was generated as (null: 1).
    "truth.generation_runs": [("run_id", I), ("kind", V), ("scale", D), ("seed", B), ("horizon", "TIMESTAMP"),
                              ("previous_story_end", "TIMESTAMP"), ("story_end", "TIMESTAMP"), ("days", I),
                              ("last_sync_at", "TIMESTAMP"), ("shards", I)],
}


_COLUMNS = {t: [c for c, _ in cols] for t, cols in TABLES.items()}


def columns(table: str) -> list[str]:
    """The table's column names in order (a shared list: do not change it)."""
    return _COLUMNS[table]
