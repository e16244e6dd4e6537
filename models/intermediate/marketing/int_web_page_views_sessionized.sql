{{ config(materialized='table') }}
-- Every page view with the web session it belongs to. A visitor is a browser (anonymous_id; a page
-- view without one falls back to its user_id). Page views of a visitor are ordered by their UTC
-- instant: one that comes var session_timeout_minutes (default 30) or more after the visitor's
-- previous page view starts a new session, so 29:59 later is the same session and 30:00 is a new
-- one (the inactivity has reached the timeout). Local clocks and offsets play no part: a visit
-- across a local midnight or a change of offset is one session when its UTC instants are close.
with page_views as (
    select * from {{ ref('stg_web__page_views') }}
),

visitors as (
    select
        *,
        coalesce(anonymous_id, {{ dbt.concat(["'user:'", "user_id"]) }}) as visitor_id
    from page_views
),

gaps as (
    select
        *,
        lag(viewed_at) over (
            partition by visitor_id
            order by viewed_at, page_view_id
        ) as previous_viewed_at
    from visitors
),

session_starts as (
    select
        *,
        case
            when previous_viewed_at is null then 1
            when viewed_at >= {{ dbt.dateadd('minute', var('session_timeout_minutes'), 'previous_viewed_at') }}
                then 1
            else 0
        end as is_session_start
    from gaps
),

numbered as (
    select
        *,
        sum(is_session_start) over (
            partition by visitor_id
            order by viewed_at, page_view_id
            rows between unbounded preceding and current row
        ) as visitor_session_number
    from session_starts
),

landing_views as (
    select
        visitor_id,
        visitor_session_number,
        page_view_id as landing_page_view_id
    from numbered
    where is_session_start = 1
),

final as (
    select
        numbered.page_view_id,
        {{ dbt.hash(dbt.concat(["numbered.visitor_id", "'|'", "landing_views.landing_page_view_id"])) }}
            as session_id,
        numbered.visitor_id,
        numbered.anonymous_id,
        numbered.user_id,
        numbered.visitor_session_number,
        row_number() over (
            partition by numbered.visitor_id, numbered.visitor_session_number
            order by numbered.viewed_at, numbered.page_view_id
        ) as session_page_view_number,
        numbered.is_session_start = 1 as is_session_start,
        numbered.page_url,
        numbered.page_path,
        numbered.referrer_host,
        numbered.utm_source,
        numbered.utm_medium,
        numbered.utm_campaign,
        numbered.utm_content,
        numbered.utm_term,
        numbered.previous_viewed_at,
        numbered.viewed_at
    from numbered
    inner join landing_views
        on
            numbered.visitor_id = landing_views.visitor_id
            and numbered.visitor_session_number = landing_views.visitor_session_number
)

select * from final
