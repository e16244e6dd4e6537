{{ config(
    materialized=incremental_materialization(),
    incremental_strategy=incremental_replace_strategy(),
    unique_key='page_view_id',
    on_schema_change='fail',
) }}
-- Every page view with the web session it belongs to. A visitor is a browser (anonymous_id; a page
-- view without one falls back to its user_id). Page views of a visitor are ordered by their UTC
-- instant: one that comes var session_timeout_minutes (default 30) or more after the visitor's
-- previous page view starts a new session, so 29:59 later is the same session and 30:00 is a new
-- one (the inactivity has reached the timeout). Local clocks and offsets play no part: a visit
-- across a local midnight or a change of offset is one session when its UTC instants are close.
--
-- Incremental: a run re-cuts the sessions of every visitor touched by a page view loaded since the
-- latest load already in the table, less var incremental_lookback_days - all of that visitor's page
-- views, from the first, because a late page view can join two sessions, split one or renumber the
-- later ones (and a re-loaded page view that changed visitor re-cuts its old visitor too). The
-- unique_key replaces those visitors' rows; other visitors' sessions cannot change. Raw rows are
-- appended, never edited in place, so staging is read for the new loads only and the visitors'
-- older page views come from the table itself.
-- on_schema_change fail: a new column needs every visitor re-cut, so a full refresh, not a
-- column of nulls on the old rows.
with page_views as {{ not_materialized() }} (
    select * from {{ ref('stg_web__page_views') }}
),

{% if is_incremental() %}
    -- Page views loaded since the last build (less the lookback window): the only staging rows
    -- read. The filter is on a plain column, so the engine cleans the text of these rows only.
    new_page_views as (
        select
            *,
            coalesce(anonymous_id, {{ dbt.concat(["'user:'", "user_id"]) }}) as visitor_id
        from page_views
        where loaded_at >= {{ incremental_lookback_start('loaded_at') }}
    ),

    -- their visitors, and the visitor a re-loaded page view was cut for before
    affected_visitors as (
        select new_page_views.visitor_id from new_page_views
        union
        select previous_cut.visitor_id
        from {{ this }} as previous_cut
        inner join new_page_views on previous_cut.page_view_id = new_page_views.page_view_id
    ),

    -- every page view of those visitors: the new ones, and the others as the table has them (a
    -- page view last loaded before the window has not changed since it was cut)
    page_views_to_cut as {{ not_materialized() }} (
        select
            page_view_id,
            anonymous_id,
            user_id,
            page_url,
            page_path,
            referrer_host,
            utm_source,
            utm_medium,
            utm_campaign,
            utm_content,
            utm_term,
            viewed_at,
            loaded_at
        from new_page_views

        union all

        select
            previous_cut.page_view_id,
            previous_cut.anonymous_id,
            previous_cut.user_id,
            previous_cut.page_url,
            previous_cut.page_path,
            previous_cut.referrer_host,
            previous_cut.utm_source,
            previous_cut.utm_medium,
            previous_cut.utm_campaign,
            previous_cut.utm_content,
            previous_cut.utm_term,
            previous_cut.viewed_at,
            previous_cut.loaded_at
        from {{ this }} as previous_cut
        inner join affected_visitors on previous_cut.visitor_id = affected_visitors.visitor_id
        left join new_page_views on previous_cut.page_view_id = new_page_views.page_view_id
        where new_page_views.page_view_id is null
    ),
{% else %}
    page_views_to_cut as {{ not_materialized() }} (
        select * from page_views
    ),
{% endif %}

-- The windows carry only what ordering needs (id, visitor, instant); the text columns join back
-- by page_view_id afterwards (the narrow side is the join's build side). At scale 100 (79 M page
-- views) windows over whole rows ran out of DuckDB's 16 GB even alone.
visitors as (
    select
        page_view_id,
        coalesce(anonymous_id, {{ dbt.concat(["'user:'", "user_id"]) }}) as visitor_id,
        user_id,
        viewed_at
    from page_views_to_cut
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

-- a session's landing page, each page view's place in it and the session's totals, from one more
-- window over the session (one sort) instead of a self-join of the numbered page views (that join
-- made the engine keep a copy of all of them: 33 GB of spill at scale 100) or an aggregate joined
-- back (int_web_sessions reads the totals from the landing page view: grouping 46 M sessions with
-- their landing pages there spilled over 30 GB at scale 100)
sessions_numbered as (
    select
        *,
        first_value(page_view_id) over (
            partition by visitor_id, visitor_session_number
            order by viewed_at, page_view_id
            rows between unbounded preceding and current row
        ) as landing_page_view_id,
        row_number() over (
            partition by visitor_id, visitor_session_number
            order by viewed_at, page_view_id
        ) as session_page_view_number,
        max(user_id) over (
            partition by visitor_id, visitor_session_number
            order by viewed_at, page_view_id
            rows between unbounded preceding and unbounded following
        ) as session_user_id,
        max(viewed_at) over (
            partition by visitor_id, visitor_session_number
            order by viewed_at, page_view_id
            rows between unbounded preceding and unbounded following
        ) as session_last_viewed_at,
        count(*) over (
            partition by visitor_id, visitor_session_number
            order by viewed_at, page_view_id
            rows between unbounded preceding and unbounded following
        ) as session_page_views
    from numbered
),

final as (
    select
        sessions_numbered.page_view_id,
        {{ dbt.hash(dbt.concat(["sessions_numbered.visitor_id", "'|'", "sessions_numbered.landing_page_view_id"])) }}
            as session_id,
        sessions_numbered.visitor_id,
        page_views_to_cut.anonymous_id,
        page_views_to_cut.user_id,
        sessions_numbered.visitor_session_number,
        sessions_numbered.session_page_view_number,
        sessions_numbered.is_session_start = 1 as is_session_start,
        page_views_to_cut.page_url,
        page_views_to_cut.page_path,
        page_views_to_cut.referrer_host,
        page_views_to_cut.utm_source,
        page_views_to_cut.utm_medium,
        page_views_to_cut.utm_campaign,
        page_views_to_cut.utm_content,
        page_views_to_cut.utm_term,
        sessions_numbered.session_user_id,
        sessions_numbered.previous_viewed_at,
        sessions_numbered.viewed_at,
        sessions_numbered.session_last_viewed_at,
        cast(sessions_numbered.session_page_views as {{ dbt.type_bigint() }}) as session_page_views,
        page_views_to_cut.loaded_at
    from sessions_numbered
    inner join page_views_to_cut
        on sessions_numbered.page_view_id = page_views_to_cut.page_view_id
)

select * from final
