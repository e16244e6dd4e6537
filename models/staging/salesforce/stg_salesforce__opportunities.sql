with base as (
    select * from {{ ref('base_salesforce__opportunity') }}
    where row_disposition = 'staged'
),

final as (
    select
        -- ids
        id as opportunity_id,
        account_id,
        owner_id as owner_user_id,
        campaign_id,

        -- strings
        {{ clean_text('name') }} as opportunity_name,
        {{ clean_text('type') }} as opportunity_type,
        {{ clean_text('stage_name') }} as stage_name,
        {{ clean_text('forecast_category_name') }} as forecast_category,
        {{ clean_text('lead_source') }} as lead_source,
        -- lower case (direct, self-serve, partner), the spelling Stripe's metadata uses
        {{ clean_enum('sales_channel_c') }} as sales_channel,
        upper(trim(currency_iso_code)) as currency_code,

        -- numerics
        cast(amount as decimal(18, 2)) as amount,
        cast(one_time_fees_c as decimal(18, 2)) as one_time_fees,
        cast(contract_term_months_c as integer) as contract_term_months,
        cast(probability as decimal(5, 2)) as probability_percent,

        -- booleans
        coalesce(is_closed, false) as is_closed,
        coalesce(is_won, false) as is_won,

        -- dates
        {{ dbt.safe_cast('close_date', api.Column.translate_type('date')) }} as close_date,

        -- timestamps
        {{ iso_to_utc('created_date') }} as created_at,
        {{ iso_to_utc('last_modified_date') }} as last_modified_at,
        _fivetran_synced as loaded_at
    from base
)

select * from final
