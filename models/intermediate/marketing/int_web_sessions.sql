-- Web sessions, one row per session (int_web_page_views_sessionized), with
--   * the landing page (the session's first page view) and its UTM tags and referrer host;
--   * the channel, from the landing page through the channel_mapping seed: UTM tags (utm_source
--     and utm_medium; either present counts as tagged) join the seed's utm rows on exact value or
--     '*', and the matching row with the lowest priority wins; tags that match no row give
--     'other'. An untagged session falls back to its referrer host (referrer rows; an unlisted
--     host gives 'referral'; a host of var site_hosts is internal navigation and counts as no
--     referrer); with neither it is 'direct';
--   * the ad platform and campaign of paid sessions: the ad campaign whose utm_campaign is the
--     session's, else the platform whose links use the session's utm_source (var ad_platforms);
--   * the known person: the latest identify call of the session's anonymous_id (its user_id and
--     email), else the latest identify of a user_id on the session's page views, else the HubSpot
--     contact of a form submitted on one of the session's pages (same URL without query string,
--     within var session_timeout_minutes of the page view, and only when exactly one session
--     qualifies), resolved through HubSpot merges to the surviving contact and its email;
--   * the customer_id of that person through dim_customer_identities (the identify's user_id,
--     else the HubSpot contact).
{%- set site_hosts = var('site_hosts') %}
{%- set platforms = var('ad_platforms') %}
{#- a landing page's derived columns, on a landing page's columns (of a page view or a session) #}
{%- set has_utm_tags = 'utm_source is not null or utm_medium is not null' %}
{%- set external_referrer_host -%}
    {%- if site_hosts -%}
        case when referrer_host in ({{ quoted_list(site_hosts) }}) then null else referrer_host end
    {%- else -%}
        referrer_host
    {%- endif -%}
{%- endset %}
{%- set source_platform -%}
    case
    {%- for platform, settings in platforms.items() %} when utm_source in ({{ quoted_list(settings['utm_sources']) }}) then '{{ platform }}'
    {%- endfor %} end
{%- endset %}

with page_views as {{ not_materialized() }} (
    select * from {{ ref('int_web_page_views_sessionized') }}
),

channel_mapping as {{ not_materialized() }} (
    select * from {{ ref('channel_mapping') }}
),

identifies as {{ not_materialized() }} (
    select * from {{ ref('stg_web__identifies') }}
),

form_submissions as {{ not_materialized() }} (
    select * from {{ ref('stg_hubspot__form_submissions') }}
),

hubspot_contacts as {{ not_materialized() }} (
    select * from {{ ref('stg_hubspot__contacts') }}
),

ad_campaigns as (
    select * from {{ ref('int_ad_campaigns_unioned') }}
),

customer_identities as {{ not_materialized() }} (
    select * from {{ ref('dim_customer_identities') }}
),

-- One row per session: its landing page view (the first: exactly one per session), which carries
-- the session's totals (int_web_page_views_sessionized). Everything else a session gets comes from
-- small lookups of the distinct landing values or of identify ids, so no session-sized relation is
-- grouped, joined or materialised: at scale 100 (46 M sessions) joining the sessions to their
-- landing pages, channels and persons by session_id, or grouping the page views by session with
-- their landing pages, spilled more than 30 GB and ran the disk full. Within a session (one
-- visitor) every page view has the same anonymous_id.
sessions as (
    select
        session_id,
        visitor_id,
        anonymous_id,
        session_user_id as page_view_user_id,
        viewed_at as started_at,
        session_last_viewed_at as last_viewed_at,
        session_page_views as page_views,
        page_url as landing_page_url,
        page_path as landing_page_path,
        referrer_host,
        utm_source,
        utm_medium,
        utm_campaign,
        utm_content,
        utm_term
    from page_views
    where session_page_view_number = 1
),

landed_sessions as (
    select
        *,
        {{ has_utm_tags }} as has_utm_tags,
        {{ external_referrer_host }} as external_referrer_host,
        {{ source_platform }} as source_platform
    from sessions
),

-- the distinct landing values, from the landing page views
landing_values as (
    select distinct
        utm_source,
        utm_medium,
        utm_campaign,
        referrer_host,
        {{ has_utm_tags }} as has_utm_tags,
        {{ external_referrer_host }} as external_referrer_host,
        {{ source_platform }} as source_platform
    from page_views
    where session_page_view_number = 1
),

-- channel of each distinct tag pair, then of each distinct referrer host
utm_pairs as (
    select distinct
        coalesce(utm_source, '') as source_input,
        coalesce(utm_medium, '') as medium_input
    from landing_values
    where has_utm_tags
),

utm_matches as (
    select
        utm_pairs.source_input,
        utm_pairs.medium_input,
        channel_mapping.channel,
        channel_mapping.is_paid,
        row_number() over (
            partition by utm_pairs.source_input, utm_pairs.medium_input
            order by channel_mapping.priority, channel_mapping.channel
        ) as match_rank
    from utm_pairs
    inner join channel_mapping
        on
            channel_mapping.match_type = 'utm'
            and channel_mapping.source_value in (utm_pairs.source_input, '*')
            and channel_mapping.medium_value in (utm_pairs.medium_input, '*')
),

referrer_matches as (
    select
        referrers.external_referrer_host,
        channel_mapping.channel,
        channel_mapping.is_paid,
        row_number() over (
            partition by referrers.external_referrer_host
            order by channel_mapping.priority, channel_mapping.channel
        ) as match_rank
    from (
        select distinct external_referrer_host
        from landing_values
        where external_referrer_host is not null
    ) as referrers
    inner join channel_mapping
        on
            channel_mapping.match_type = 'referrer'
            and referrers.external_referrer_host = channel_mapping.source_value
),

-- the ad campaign of each distinct campaign tag and platform (used for paid sessions only): the
-- campaign of the platform whose links use the session's utm_source first
ad_campaign_matches as (
    select
        campaign_values.utm_campaign,
        campaign_values.source_platform_key,
        ad_campaigns.platform,
        ad_campaigns.ad_campaign_key,
        row_number() over (
            partition by campaign_values.utm_campaign, campaign_values.source_platform_key
            order by
                case when ad_campaigns.platform = campaign_values.source_platform then 0 else 1 end,
                ad_campaigns.platform,
                ad_campaigns.campaign_id
        ) as match_rank
    from (
        select distinct
            utm_campaign,
            source_platform,
            coalesce(source_platform, '') as source_platform_key
        from landing_values
        where utm_campaign is not null
    ) as campaign_values
    inner join ad_campaigns on campaign_values.utm_campaign = ad_campaigns.utm_campaign
),

-- the person behind the session
latest_identify_by_anonymous_id as (
    select
        anonymous_id,
        user_id,
        email,
        row_number() over (
            partition by anonymous_id
            order by identified_at desc, identify_id desc
        ) as identify_rank
    from identifies
    where anonymous_id is not null
),

latest_identify_by_user_id as (
    select
        user_id,
        email,
        row_number() over (
            partition by user_id
            order by identified_at desc, identify_id desc
        ) as identify_rank
    from identifies
    where user_id is not null
),

-- submissions whose contact is not in staging (HubSpot merged it away), with the contact whose
-- merged list names it: only these few rows meet the pattern join, which no hash join can do
merged_contacts as (
    select
        form_submissions.form_submission_id,
        merged_into.contact_id,
        merged_into.email
    from form_submissions
    left join hubspot_contacts as direct_contacts
        on form_submissions.contact_id = direct_contacts.contact_id
    inner join hubspot_contacts as merged_into
        on
            {{ dbt.concat(["';'", "merged_into.merged_contact_ids", "';'"]) }}
            like {{ dbt.concat(["'%;'", "form_submissions.contact_id", "';%'"]) }}
    where
        direct_contacts.contact_id is null
        and merged_into.merged_contact_ids is not null
),

surviving_contacts as (
    -- a submission's contact, or the contact HubSpot merged it into
    select
        form_submissions.form_submission_id,
        coalesce(direct_contacts.contact_id, merged_contacts.contact_id) as hubspot_contact_id,
        coalesce(direct_contacts.email, merged_contacts.email) as email
    from form_submissions
    left join hubspot_contacts as direct_contacts
        on form_submissions.contact_id = direct_contacts.contact_id
    left join merged_contacts
        on form_submissions.form_submission_id = merged_contacts.form_submission_id
),

-- A form submission's session: the one session with a page view of the form's page (URL without
-- query string) within var session_timeout_minutes of the submission, when exactly one qualifies.
-- Each form page's views in time order, numbered, with a running count of session changes (a view
-- whose session is not the previous view's): the views from number i to number j all belong to one
-- session exactly when the count is the same at i and at j. A submission's window is found by two
-- probes placed among its page's views, at submitted_at less and plus the timeout: the next view
-- after the first probe opens the window, the last view before the second closes it. Every step is
-- a running window over rows, linear in the page's traffic. A join of each submission to the views in
-- its window grows with the square of a page's traffic (at scale 100, about 45 views and 25
-- submissions of the demo page in every half hour ran the disk full however finely it was bucketed),
-- and min/max over a range frame of the window took 5 s at scale 10 for 0.9 M rows.
form_windows as (
    select
        form_submission_id,
        submitted_at,
        {{ dbt.split_part('page_url', "'?'", 1) }} as form_page_url
    from form_submissions
    where page_url is not null
),

form_pages as (
    select distinct form_page_url
    from form_windows
),

-- the page views of pages with a form (a few percent of all page views)
form_page_views as (
    select
        form_pages.form_page_url,
        page_views.viewed_at,
        page_views.session_id,
        row_number() over (
            partition by form_pages.form_page_url
            order by page_views.viewed_at, page_views.session_id
        ) as view_number,
        lag(page_views.session_id) over (
            partition by form_pages.form_page_url
            order by page_views.viewed_at, page_views.session_id
        ) as previous_session_id
    from page_views
    inner join form_pages
        on {{ dbt.split_part('page_views.page_url', "'?'", 1) }} = form_pages.form_page_url
),

form_page_views_counted as (
    select
        form_page_url,
        viewed_at,
        session_id,
        view_number,
        sum(case when session_id = previous_session_id then 0 else 1 end) over (
            partition by form_page_url
            order by view_number
            rows between unbounded preceding and current row
        ) as session_changes
    from form_page_views
),

-- the views and each submission's two probes: the first probe sorts before views of its instant and
-- the second after them, since a view exactly the timeout away is in the window
form_window_edges as (
    select
        form_page_url,
        viewed_at as event_at,
        1 as event_order,
        view_number,
        session_changes,
        cast(null as {{ dbt.type_string() }}) as form_submission_id,
        cast(null as {{ dbt.type_string() }}) as window_edge
    from form_page_views_counted
    union all
    select
        form_page_url,
        {{ dbt.dateadd('minute', -1 * var('session_timeout_minutes') | int, 'submitted_at') }} as event_at,
        0 as event_order,
        cast(null as {{ dbt.type_bigint() }}) as view_number,
        cast(null as {{ dbt.type_bigint() }}) as session_changes,
        form_submission_id,
        'first' as window_edge
    from form_windows
    union all
    select
        form_page_url,
        {{ dbt.dateadd('minute', var('session_timeout_minutes') | int, 'submitted_at') }} as event_at,
        2 as event_order,
        cast(null as {{ dbt.type_bigint() }}) as view_number,
        cast(null as {{ dbt.type_bigint() }}) as session_changes,
        form_submission_id,
        'last' as window_edge
    from form_windows
),

-- at each probe, the first view at or after it (running minimum from the end) and the last view at
-- or before it (running maximum from the start), with their counts of session changes (the count
-- only grows with the view number, so the minimum and maximum belong to those same views)
form_window_edges_resolved as (
    select
        form_submission_id,
        window_edge,
        min(view_number) over (
            partition by form_page_url
            order by event_at desc, event_order desc, view_number desc
            rows between unbounded preceding and current row
        ) as next_view_number,
        min(session_changes) over (
            partition by form_page_url
            order by event_at desc, event_order desc, view_number desc
            rows between unbounded preceding and current row
        ) as next_session_changes,
        max(view_number) over (
            partition by form_page_url
            order by event_at, event_order, view_number
            rows between unbounded preceding and current row
        ) as previous_view_number,
        max(session_changes) over (
            partition by form_page_url
            order by event_at, event_order, view_number
            rows between unbounded preceding and current row
        ) as previous_session_changes
    from form_window_edges
),

form_window_views as (
    select
        form_submission_id,
        max(case when window_edge = 'first' then next_view_number end) as first_view_number,
        max(case when window_edge = 'first' then next_session_changes end) as first_session_changes,
        max(case when window_edge = 'last' then previous_view_number end) as last_view_number,
        max(case when window_edge = 'last' then previous_session_changes end) as last_session_changes
    from form_window_edges_resolved
    where window_edge is not null
    group by form_submission_id
),

-- a window with at least one view, all of one session
unambiguous_form_sessions as (
    select
        form_windows.form_submission_id,
        form_page_views_counted.session_id,
        form_windows.submitted_at
    from form_window_views
    inner join form_windows
        on form_window_views.form_submission_id = form_windows.form_submission_id
    inner join form_page_views_counted
        on
            form_windows.form_page_url = form_page_views_counted.form_page_url
            and form_window_views.first_view_number = form_page_views_counted.view_number
    where
        form_window_views.first_view_number <= form_window_views.last_view_number
        and form_window_views.first_session_changes = form_window_views.last_session_changes
),

form_persons as (
    select
        unambiguous_form_sessions.session_id,
        surviving_contacts.hubspot_contact_id,
        surviving_contacts.email,
        row_number() over (
            partition by unambiguous_form_sessions.session_id
            order by unambiguous_form_sessions.submitted_at desc, unambiguous_form_sessions.form_submission_id desc
        ) as submission_rank
    from unambiguous_form_sessions
    inner join surviving_contacts
        on unambiguous_form_sessions.form_submission_id = surviving_contacts.form_submission_id
    where surviving_contacts.hubspot_contact_id is not null
),

sessions_channelled as (
    select
        landed_sessions.*,
        case
            when landed_sessions.has_utm_tags then coalesce(utm_matches.channel, 'other')
            when landed_sessions.external_referrer_host is not null
                then coalesce(referrer_matches.channel, 'referral')
            else 'direct'
        end as channel,
        case
            when landed_sessions.has_utm_tags then coalesce(utm_matches.is_paid, false)
            when landed_sessions.external_referrer_host is not null then coalesce(referrer_matches.is_paid, false)
            else false
        end as is_paid
    from landed_sessions
    -- has_utm_tags stays out of the join condition, which must be equalities only to be hashed: an
    -- untagged session's match is never used (the case above looks at has_utm_tags first)
    left join utm_matches
        on
            coalesce(landed_sessions.utm_source, '') = utm_matches.source_input
            and coalesce(landed_sessions.utm_medium, '') = utm_matches.medium_input
            and utm_matches.match_rank = 1
    left join referrer_matches
        on
            landed_sessions.external_referrer_host = referrer_matches.external_referrer_host
            and referrer_matches.match_rank = 1
),

sessions_with_persons as (
    select
        sessions_channelled.*,
        coalesce(by_anonymous_id.user_id, sessions_channelled.page_view_user_id) as user_id,
        form_persons.hubspot_contact_id,
        coalesce(by_anonymous_id.email, by_user_id.email, form_persons.email) as person_email,
        case
            when by_anonymous_id.email is not null then 'identify'
            when by_user_id.email is not null then 'user_id'
            when form_persons.email is not null then 'form_submission'
        end as identity_source
    from sessions_channelled
    left join latest_identify_by_anonymous_id as by_anonymous_id
        on
            sessions_channelled.anonymous_id = by_anonymous_id.anonymous_id
            and by_anonymous_id.identify_rank = 1
    left join latest_identify_by_user_id as by_user_id
        on
            coalesce(by_anonymous_id.user_id, sessions_channelled.page_view_user_id) = by_user_id.user_id
            and by_user_id.identify_rank = 1
    left join form_persons
        on
            sessions_channelled.session_id = form_persons.session_id
            and form_persons.submission_rank = 1
),

final as (
    select
        sessions.session_id,
        sessions.visitor_id,
        sessions.anonymous_id,
        sessions.user_id,
        sessions.hubspot_contact_id,
        sessions.person_email,
        sessions.identity_source,
        coalesce(by_user.customer_id, by_contact.customer_id) as customer_id,
        sessions.channel,
        sessions.is_paid,
        case
            when sessions.is_paid then coalesce(ad_campaign_matches.platform, sessions.source_platform)
        end as platform,
        case when sessions.is_paid then ad_campaign_matches.ad_campaign_key end as ad_campaign_key,
        sessions.utm_source,
        sessions.utm_medium,
        sessions.utm_campaign,
        sessions.utm_content,
        sessions.utm_term,
        sessions.referrer_host,
        sessions.landing_page_url,
        sessions.landing_page_path,
        cast(sessions.page_views as {{ dbt.type_bigint() }}) as page_views,
        sessions.started_at,
        sessions.last_viewed_at,
        cast({{ dbt.date_trunc('month', 'sessions.started_at') }} as date) as session_month
    from sessions_with_persons as sessions
    left join ad_campaign_matches
        on
            sessions.utm_campaign = ad_campaign_matches.utm_campaign
            and coalesce(sessions.source_platform, '') = ad_campaign_matches.source_platform_key
            and ad_campaign_matches.match_rank = 1
    left join customer_identities as by_user
        on
            by_user.source_table = 'raw_web.identifies'
            and sessions.user_id = by_user.source_id
    left join customer_identities as by_contact
        on
            by_contact.source_table = 'raw_hubspot.contact'
            and sessions.hubspot_contact_id = by_contact.source_id
)

select * from final
