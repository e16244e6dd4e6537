-- Every raw row of stripe.charge, checked: the rule it breaks (if any) and what staging does
-- with it. A charge without an invoice is allowed; one pointing at an invoice never landed is not.
with source as {{ not_materialized() }} (
    select * from {{ source('stripe', 'charge') }}
),

invoices as {{ not_materialized() }} (
    select distinct id as invoice_id from {{ source('stripe', 'invoice') }}
    where id is not null
),

currencies as {{ not_materialized() }} (
    select lower(currency_code) as currency_code from {{ ref('currencies') }}
),

checked as {{ not_materialized() }} (
    select
        source.*,
        source.id as source_row_id,
        {{ row_to_json_text('source') }} as raw_row,
        case
            when source.id is null or source.customer_id is null then 'null_key'
            when source.invoice_id is not null and invoices.invoice_id is null then 'orphan_fk'
            when source.amount < 0 then 'negative_amount'
            when currencies.currency_code is null then 'unknown_currency'
        end as reject_rule
    from source
    left join invoices
        on source.invoice_id = invoices.invoice_id
    left join currencies
        on lower(trim(source.currency)) = currencies.currency_code
)

{{ select_with_row_disposition('checked', 'id') }}
