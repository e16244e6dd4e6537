{{ config(
    materialized=incremental_materialization(),
    incremental_strategy=incremental_replace_strategy(),
    unique_key='page_view_id',
    on_schema_change='fail',
) }}
-- Materialised on Spark too, where staging models are views: one of the largest raw tables
-- (79 M page views at scale 100), read by a dozen tests and by its children. As a view every one of
-- those reads re-ran the de-duplication and the cleaning over every raw row; materialised they run
-- once.
--
-- Incremental: a run cleans only the raw rows loaded since the latest load already in the table,
-- less var incremental_lookback_days (rows a connector lands late), and the unique_key replaces the
-- earlier copy of a record loaded again. A record's staged copy changes only when a later valid
-- copy lands, and that copy is among the rows read; a later copy that is rejected leaves the staged
-- one as it is, as a full build does. Raw page views are never deleted, so no staged row has to go.
-- on_schema_change fail: a new column has to be filled on every row, so a full refresh, never a
-- column of nulls on old rows.
with base as (
    select * from {{ ref('base_web__pages') }}
    where row_disposition = 'staged'
),

{% if is_incremental() %}
    -- the rows loaded since the last build (less the lookback window): a filter on a plain column,
    -- so only these rows are cleaned
    base_loaded_since as (
        select * from base
        where _fivetran_synced >= {{ incremental_lookback_start('loaded_at') }}
    ),
{% else %}
    base_loaded_since as (
        select * from base
    ),
{% endif %}

final as (
    select
        -- ids
        id as page_view_id,
        anonymous_id,
        user_id,

        -- strings
        nullif(trim(context_page_url), '') as page_url,
        nullif(trim(context_page_path), '') as page_path,
        nullif(trim(context_page_referrer), '') as referrer,
        {{ clean_domain('context_page_referrer') }} as referrer_host,
        {{ clean_enum('context_campaign_source') }} as utm_source,
        {{ clean_enum('context_campaign_medium') }} as utm_medium,
        {{ clean_enum('context_campaign_name') }} as utm_campaign,
        {{ clean_enum('context_campaign_content') }} as utm_content,
        {{ clean_enum('context_campaign_term') }} as utm_term,
        nullif(trim(context_ip), '') as ip,
        nullif(trim(context_user_agent), '') as user_agent,

        -- timestamps
        {{ iso_to_utc(adapter.quote('timestamp')) }} as viewed_at,
        received_at,
        _fivetran_synced as loaded_at
    from base_loaded_since
)

select * from final
