-- grand_total is in the quoted opportunity's currency (stg_salesforce__opportunities.currency_code):
-- the raw quote has no currency column, and staging does not join.
with base as (
    select * from {{ ref('base_salesforce__quote') }}
    where row_disposition = 'staged'
),

final as (
    select
        -- ids
        id as quote_id,
        opportunity_id,

        -- strings
        {{ clean_text('name') }} as quote_name,
        {{ clean_text('status') }} as quote_status,

        -- numerics
        cast(grand_total as decimal(18, 2)) as grand_total,

        -- timestamps
        {{ iso_to_utc('created_date') }} as created_at,
        {{ iso_to_utc('last_modified_date') }} as last_modified_at,
        _fivetran_synced as loaded_at
    from base
)

select * from final
