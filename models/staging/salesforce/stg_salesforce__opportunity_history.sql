-- One row per change of an opportunity, holding the values after the change, as a validity range:
-- the values hold from the change (valid_from) until the opportunity's next change (valid_to, null
-- for its current values).
with base as (
    select * from {{ ref('base_salesforce__opportunity_history') }}
    where row_disposition = 'staged'
),

renamed as (
    select
        -- ids
        id as opportunity_history_id,
        opportunity_id,
        created_by_id as created_by_user_id,

        -- strings
        {{ clean_text('stage_name') }} as stage_name,
        {{ clean_text('forecast_category') }} as forecast_category,

        -- numerics
        cast(amount as decimal(18, 2)) as amount,
        cast(probability as decimal(5, 2)) as probability_percent,

        -- dates
        {{ dbt.safe_cast('close_date', api.Column.translate_type('date')) }} as close_date,

        -- timestamps
        {{ iso_to_utc('created_date') }} as valid_from,
        _fivetran_synced as loaded_at
    from base
),

ranged as (
    select
        *,
        lead(valid_from) over (
            partition by opportunity_id
            order by valid_from, opportunity_history_id
        ) as valid_to
    from renamed
),

final as (
    select
        -- ids
        opportunity_history_id,
        opportunity_id,
        created_by_user_id,

        -- strings
        stage_name,
        forecast_category,

        -- numerics
        amount,
        probability_percent,

        -- booleans
        valid_to is null as is_current,

        -- dates
        close_date,

        -- timestamps
        valid_from,
        valid_to,
        loaded_at
    from ranged
)

select * from final
