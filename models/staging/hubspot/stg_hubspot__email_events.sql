{{ config(
    materialized=incremental_materialization(),
    incremental_strategy=incremental_replace_strategy(),
    unique_key='email_event_id',
    on_schema_change='fail',
) }}
-- Materialised on Spark too, where staging models are views: one of the largest raw tables
-- (60 M email events at scale 100), read by a dozen tests and by its children. As a view every one of
-- those reads re-ran the de-duplication and the cleaning over every raw row; materialised they run
-- once.
--
-- Incremental: a run cleans only the raw rows loaded since the latest load already in the table,
-- less var incremental_lookback_days (rows a connector lands late), and the unique_key replaces the
-- earlier copy of a record loaded again. A record's staged copy changes only when a later valid
-- copy lands, and that copy is among the rows read; a later copy that is rejected leaves the staged
-- one as it is, as a full build does. Raw email events are never deleted, so no staged row has to go.
-- on_schema_change fail: a new column has to be filled on every row, so a full refresh, never a
-- column of nulls on old rows.
with base as (
    select * from {{ ref('base_hubspot__email_event') }}
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
        id as email_event_id,
        email_campaign_id,

        -- strings
        upper({{ clean_text('type') }}) as event_type,
        {{ clean_email('recipient') }} as recipient_email,
        {{ email_domain('recipient') }} as recipient_email_domain,
        nullif(trim(url), '') as clicked_url,

        -- timestamps
        {{ epoch_ms_to_utc('created') }} as occurred_at,
        _fivetran_synced as loaded_at
    from base_loaded_since
)

select * from final
