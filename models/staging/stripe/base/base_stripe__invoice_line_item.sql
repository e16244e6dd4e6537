-- Every raw row of stripe.invoice_line_item, checked: the rule it breaks (if any) and what staging
-- does with it. A line must belong to an invoice that was landed (any load of it).
with source as {{ not_materialized() }} (
    select * from {{ source('stripe', 'invoice_line_item') }}
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
            when source.id is null or source.invoice_id is null then 'null_key'
            when invoices.invoice_id is null then 'orphan_fk'
            when currencies.currency_code is null then 'unknown_currency'
        end as reject_rule
    from source
    left join invoices
        on source.invoice_id = invoices.invoice_id
    left join currencies
        on lower(trim(source.currency)) = currencies.currency_code
)

{{ select_with_row_disposition('checked', 'id') }}
