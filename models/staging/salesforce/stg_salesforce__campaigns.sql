-- Costs carry no currency column in the raw data: they are in the org's corporate currency.
with base as (
    select * from {{ ref('base_salesforce__campaign') }}
    where row_disposition = 'staged'
),

final as (
    select
        -- ids
        id as campaign_id,

        -- strings
        {{ clean_text('name') }} as campaign_name,
        {{ clean_text('type') }} as campaign_type,
        {{ clean_text('status') }} as campaign_status,

        -- numerics
        cast(budgeted_cost as decimal(18, 2)) as budgeted_cost,
        cast(actual_cost as decimal(18, 2)) as actual_cost,

        -- dates
        {{ dbt.safe_cast('start_date', api.Column.translate_type('date')) }} as start_date,
        {{ dbt.safe_cast('end_date', api.Column.translate_type('date')) }} as end_date,

        -- timestamps
        _fivetran_synced as loaded_at
    from base
)

select * from final
