-- Churn-risk signals per customer (kpi-definitions section 6), at the as-of instant t
-- (int_as_of.as_of_at; a window "in the last N days" is t - N days <= x < t), with its current MRR:
-- - contraction: a contraction movement in a month measured in the last 90 days;
-- - payment issue: a failed charge in the last 90 days, or an invoice paid after its due date in
--   the last 90 days, or an invoice that fell due in the last 90 days and is still unpaid at t;
-- - falling engagement: page views (web, by the customer's identified users and the browsers they
--   identified on) plus email opens (HubSpot, by the customer's contacts) in the last 90 days fell
--   below (1 - var churn_risk_engagement_drop) x those of the 90 days before, which had some;
-- - owner inactive: the customer has a Salesforce account owner and that owner logged no task or
--   event concerning the customer (its accounts, their opportunities, contacts or leads) in the
--   last 60 days.
-- churn_risk_score adds the points of var churn_risk_weights for each signal that is on (0 to
-- 100); churn_risk_band is high (>= 50), medium (>= 25) or low. One row per customer that ever
-- had a subscription.
{%- set weights = var('churn_risk_weights') %}

with customer_mrr as (
    select * from {{ ref('int_customer_mrr_monthly') }}
),

movements as (
    select * from {{ ref('int_customer_mrr_movements') }}
),

mrr_months as (
    select * from {{ ref('int_mrr_months') }}
),

as_of as {{ not_materialized() }} (
    select * from {{ ref('int_as_of') }}
),

identities as (
    select * from {{ ref('dim_customer_identities') }}
),

charges as (
    select * from {{ ref('stg_stripe__charges') }}
),

invoices as (
    select * from {{ ref('stg_stripe__invoices') }}
),

-- every staged page view and email event, from the incremental models that hold them (reading
-- staging would re-run its de-duplication window over every raw row)
page_views as (
    select * from {{ ref('int_web_page_views_sessionized') }}
),

web_identifies as (
    select * from {{ ref('stg_web__identifies') }}
),

email_events as (
    select * from {{ ref('int_email_events_assigned') }}
),

hubspot_contacts as (
    select * from {{ ref('stg_hubspot__contacts') }}
),

accounts as (
    select * from {{ ref('stg_salesforce__accounts') }}
),

opportunities as (
    select * from {{ ref('stg_salesforce__opportunities') }}
),

tasks as (
    select * from {{ ref('stg_salesforce__tasks') }}
),

events as (
    select * from {{ ref('stg_salesforce__events') }}
),

windows as (
    select
        as_of_at,
        cast({{ dbt.dateadd('day', -60, 'as_of_at') }} as timestamp) as days_60_before_at,
        cast({{ dbt.dateadd('day', -90, 'as_of_at') }} as timestamp) as days_90_before_at,
        cast({{ dbt.dateadd('day', -180, 'as_of_at') }} as timestamp) as days_180_before_at
    from as_of
),

customer_ids_by_source as (
    select
        source_table,
        source_id,
        customer_id
    from identities
),

customers as (
    select
        customer_mrr.customer_id,
        customer_mrr.billing_currency,
        customer_mrr.mrr_billing_currency as current_mrr_billing_currency,
        customer_mrr.mrr as current_mrr
    from customer_mrr
    inner join as_of on customer_mrr.month = as_of.as_of_month
),

recent_contractions as (
    select
        movements.customer_id,
        count(*) as contractions_90d
    from movements
    inner join mrr_months on movements.month = mrr_months.month
    cross join windows
    where
        movements.movement_type = 'contraction'
        and mrr_months.measured_at >= windows.days_90_before_at
        and mrr_months.measured_at < windows.as_of_at
    group by movements.customer_id
),

failed_charges as (
    select
        stripe_ids.customer_id,
        count(*) as failed_charges_90d
    from charges
    inner join customer_ids_by_source as stripe_ids
        on
            stripe_ids.source_table = 'raw_stripe.customer'
            and charges.customer_id = stripe_ids.source_id
    cross join windows
    where
        charges.charge_status = 'failed'
        and charges.created_at >= windows.days_90_before_at
        and charges.created_at < windows.as_of_at
    group by stripe_ids.customer_id
),

late_invoices as (
    select
        stripe_ids.customer_id,
        count(*) as late_invoices_90d
    from invoices
    inner join customer_ids_by_source as stripe_ids
        on
            stripe_ids.source_table = 'raw_stripe.customer'
            and invoices.customer_id = stripe_ids.source_id
    cross join windows
    where
        invoices.due_at is not null
        and (
            -- paid late, in the window
            (
                invoices.paid_at > invoices.due_at
                and invoices.paid_at >= windows.days_90_before_at
                and invoices.paid_at < windows.as_of_at
            )
            -- fell due in the window and still unpaid at t
            or (
                invoices.due_at >= windows.days_90_before_at
                and invoices.due_at < windows.as_of_at
                and (invoices.paid_at is null or invoices.paid_at >= windows.as_of_at)
                and (invoices.voided_at is null or invoices.voided_at >= windows.as_of_at)
                and (
                    invoices.marked_uncollectible_at is null
                    or invoices.marked_uncollectible_at >= windows.as_of_at
                )
            )
        )
    group by stripe_ids.customer_id
),

web_users as (
    -- the customer's identified web users, and the browsers (anonymous ids) they identified on
    select distinct
        web_ids.customer_id,
        web_identifies.user_id,
        web_identifies.anonymous_id
    from web_identifies
    inner join customer_ids_by_source as web_ids
        on
            web_ids.source_table = 'raw_web.identifies'
            and web_identifies.user_id = web_ids.source_id
),

recent_page_views as (
    -- only the two 90-day windows are compared
    select page_views.*
    from page_views
    cross join windows
    where
        page_views.viewed_at >= windows.days_180_before_at
        and page_views.viewed_at < windows.as_of_at
),

page_views_by_user as (
    select
        web_users.customer_id,
        recent_page_views.page_view_id,
        recent_page_views.viewed_at as engaged_at
    from recent_page_views
    inner join web_users on recent_page_views.user_id = web_users.user_id
),

page_views_by_browser as (
    -- anonymous views on a browser a customer's user identified on (two equi-joins, not one join on
    -- an OR, which engines can only run as a nested loop)
    select
        web_users.customer_id,
        recent_page_views.page_view_id,
        recent_page_views.viewed_at as engaged_at
    from recent_page_views
    inner join web_users on recent_page_views.anonymous_id = web_users.anonymous_id
    where recent_page_views.user_id is null
),

customer_page_views as (
    select
        customer_id,
        page_view_id,
        engaged_at
    from page_views_by_user
    union
    select
        customer_id,
        page_view_id,
        engaged_at
    from page_views_by_browser
),

customer_email_opens as (
    select distinct
        hubspot_ids.customer_id,
        email_events.email_event_id,
        email_events.occurred_at as engaged_at
    from email_events
    inner join hubspot_contacts on email_events.recipient_email = hubspot_contacts.email
    inner join customer_ids_by_source as hubspot_ids
        on
            hubspot_ids.source_table = 'raw_hubspot.contact'
            and hubspot_contacts.contact_id = hubspot_ids.source_id
    where email_events.event_type = 'OPEN'
),

engagement_events as (
    select
        customer_id,
        engaged_at,
        1 as page_views,
        0 as email_opens
    from customer_page_views
    union all
    select
        customer_id,
        engaged_at,
        0 as page_views,
        1 as email_opens
    from customer_email_opens
),

engagement as (
    select
        engagement_events.customer_id,
        sum(
            case
                when
                    engagement_events.engaged_at >= windows.days_90_before_at
                    and engagement_events.engaged_at < windows.as_of_at
                    then engagement_events.page_views
                else 0
            end
        ) as page_views_90d,
        sum(
            case
                when
                    engagement_events.engaged_at >= windows.days_180_before_at
                    and engagement_events.engaged_at < windows.days_90_before_at
                    then engagement_events.page_views
                else 0
            end
        ) as page_views_prior_90d,
        sum(
            case
                when
                    engagement_events.engaged_at >= windows.days_90_before_at
                    and engagement_events.engaged_at < windows.as_of_at
                    then engagement_events.email_opens
                else 0
            end
        ) as email_opens_90d,
        sum(
            case
                when
                    engagement_events.engaged_at >= windows.days_180_before_at
                    and engagement_events.engaged_at < windows.days_90_before_at
                    then engagement_events.email_opens
                else 0
            end
        ) as email_opens_prior_90d
    from engagement_events
    cross join windows
    group by engagement_events.customer_id
),

account_owners as (
    select distinct
        account_ids.customer_id,
        accounts.owner_user_id
    from accounts
    inner join customer_ids_by_source as account_ids
        on
            account_ids.source_table = 'raw_salesforce.account'
            and accounts.account_id = account_ids.source_id
    where accounts.owner_user_id is not null
),

owned_customers as (
    select distinct customer_id from account_owners
),

activities as (
    select
        owner_user_id,
        account_id,
        opportunity_id,
        contact_id,
        lead_id,
        created_at
    from tasks
    union all
    select
        owner_user_id,
        account_id,
        opportunity_id,
        contact_id,
        lead_id,
        created_at
    from events
),

activities_resolved as (
    select
        coalesce(
            account_ids.customer_id,
            opportunity_ids.customer_id,
            contact_ids.customer_id,
            lead_ids.customer_id
        ) as customer_id,
        activities.owner_user_id,
        activities.created_at
    from activities
    left join customer_ids_by_source as account_ids
        on
            account_ids.source_table = 'raw_salesforce.account'
            and activities.account_id = account_ids.source_id
    left join opportunities on activities.opportunity_id = opportunities.opportunity_id
    left join customer_ids_by_source as opportunity_ids
        on
            opportunity_ids.source_table = 'raw_salesforce.account'
            and opportunities.account_id = opportunity_ids.source_id
    left join customer_ids_by_source as contact_ids
        on
            contact_ids.source_table = 'raw_salesforce.contact'
            and activities.contact_id = contact_ids.source_id
    left join customer_ids_by_source as lead_ids
        on
            lead_ids.source_table = 'raw_salesforce.lead'
            and activities.lead_id = lead_ids.source_id
),

owner_activity as (
    select
        account_owners.customer_id,
        max(activities_resolved.created_at) as last_owner_activity_at
    from account_owners
    inner join activities_resolved
        on
            account_owners.customer_id = activities_resolved.customer_id
            and account_owners.owner_user_id = activities_resolved.owner_user_id
    cross join windows
    where activities_resolved.created_at < windows.as_of_at
    group by account_owners.customer_id
),

signals as (
    select
        customers.customer_id,
        customers.billing_currency,
        customers.current_mrr_billing_currency,
        customers.current_mrr,
        cast(coalesce(recent_contractions.contractions_90d, 0) as bigint) as contractions_90d,
        cast(coalesce(failed_charges.failed_charges_90d, 0) as bigint) as failed_charges_90d,
        cast(coalesce(late_invoices.late_invoices_90d, 0) as bigint) as late_invoices_90d,
        cast(coalesce(engagement.page_views_90d, 0) as bigint) as page_views_90d,
        cast(coalesce(engagement.page_views_prior_90d, 0) as bigint) as page_views_prior_90d,
        cast(coalesce(engagement.email_opens_90d, 0) as bigint) as email_opens_90d,
        cast(coalesce(engagement.email_opens_prior_90d, 0) as bigint) as email_opens_prior_90d,
        owned_customers.customer_id is not null as has_account_owner,
        owner_activity.last_owner_activity_at,
        windows.days_60_before_at
    from customers
    cross join windows
    left join recent_contractions on customers.customer_id = recent_contractions.customer_id
    left join failed_charges on customers.customer_id = failed_charges.customer_id
    left join late_invoices on customers.customer_id = late_invoices.customer_id
    left join engagement on customers.customer_id = engagement.customer_id
    left join owner_activity on customers.customer_id = owner_activity.customer_id
    left join owned_customers on customers.customer_id = owned_customers.customer_id
),

flagged as (
    select
        *,
        contractions_90d > 0 as has_recent_contraction,
        failed_charges_90d + late_invoices_90d > 0 as has_payment_issue,
        page_views_prior_90d + email_opens_prior_90d > 0
        and page_views_90d + email_opens_90d
        < (1 - {{ var('churn_risk_engagement_drop') }}) * (page_views_prior_90d + email_opens_prior_90d)
            as has_falling_engagement,
        has_account_owner
        and (last_owner_activity_at is null or last_owner_activity_at < days_60_before_at)
            as has_inactive_owner
    from signals
),

scored as (
    select
        *,
        (case when has_recent_contraction then {{ weights['contraction'] }} else 0 end)
        + (case when has_payment_issue then {{ weights['payment_issue'] }} else 0 end)
        + (case when has_falling_engagement then {{ weights['falling_engagement'] }} else 0 end)
        + (case when has_inactive_owner then {{ weights['owner_inactive'] }} else 0 end)
            as churn_risk_score
    from flagged
),

final as (
    select
        customer_id,
        billing_currency,
        current_mrr_billing_currency,
        current_mrr,
        contractions_90d,
        failed_charges_90d,
        late_invoices_90d,
        page_views_90d,
        page_views_prior_90d,
        email_opens_90d,
        email_opens_prior_90d,
        has_account_owner,
        last_owner_activity_at,
        has_recent_contraction,
        has_payment_issue,
        has_falling_engagement,
        has_inactive_owner,
        cast(churn_risk_score as integer) as churn_risk_score,
        case
            when churn_risk_score >= 50 then 'high'
            when churn_risk_score >= 25 then 'medium'
            else 'low'
        end as churn_risk_band
    from scored
)

select * from final
