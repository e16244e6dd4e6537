{{ config(
    materialized=incremental_materialization(),
    incremental_strategy=incremental_replace_strategy(),
    unique_key='invoice_line_item_id',
    on_schema_change='fail',
) }}
-- Read by incremental runs only (dbt needs the dependencies outside the is_incremental() block):
-- depends_on: {{ ref('stg_stripe__invoices') }}
-- Every Stripe invoice line with the usage type of its price: recurring licensed (per seat or
-- flat) or metered (usage), or one-time (an invoice item, or a line of a one_time price). Only
-- what the line and its price say: the invoice's status, finalization month, customer and FX rate
-- change after the line is written, so int_invoice_lines_classified adds them on every run.
--
-- Incremental: a run reads the lines loaded since the latest load already in the table, less var
-- incremental_lookback_days; a line Stripe writes again (a draft invoice's line edited) is a new
-- load and the unique_key replaces its earlier row. A line also depends on two other records, so
-- the older lines of each are read again when that record was loaded in the window: its price (the
-- usage type comes from it; a line whose price lands later is classified once it has) and its
-- invoice (staging rejects a line whose invoice has not landed yet, and stages it once it has).
-- on_schema_change fail: a new column has to be filled on every old line, so a full refresh
-- (`dbt build --full-refresh -s int_invoice_line_items_priced+`), never a column of nulls.
with invoice_line_items as {{ not_materialized() }} (
    select * from {{ ref('stg_stripe__invoice_line_items') }}
),

prices as {{ not_materialized() }} (
    select * from {{ ref('stg_stripe__prices') }}
),

{% if is_incremental() %}
    {%- set loaded_since = incremental_lookback_start('loaded_at') %}
    invoices as (
        select * from {{ ref('stg_stripe__invoices') }}
    ),

    prices_reloaded as (
        select price_id from prices
        where loaded_at >= {{ loaded_since }}
    ),

    invoices_reloaded as (
        select invoice_id from invoices
        where loaded_at >= {{ loaded_since }}
    ),

    -- the lines loaded in the window, and the older lines of the reloaded prices and invoices (the
    -- two parts never overlap)
    lines_to_price as (
        select * from invoice_line_items
        where loaded_at >= {{ loaded_since }}

        union all

        select * from invoice_line_items
        where
            loaded_at < {{ loaded_since }}
            and (
                price_id in (select prices_reloaded.price_id from prices_reloaded)
                or invoice_id in (select invoices_reloaded.invoice_id from invoices_reloaded)
            )
    ),
{% else %}
    lines_to_price as (
        select * from invoice_line_items
    ),
{% endif %}

final as (
    select
        -- ids
        lines_to_price.invoice_line_item_id,
        lines_to_price.invoice_id,
        lines_to_price.subscription_id,
        lines_to_price.price_id,

        -- strings
        lines_to_price.line_item_type,
        case
            when lines_to_price.line_item_type = 'invoiceitem' then 'one_time'
            when prices.price_type = 'one_time' then 'one_time'
            when prices.recurring_usage_type = 'metered' then 'metered'
            when prices.price_type = 'recurring' then 'licensed'
            -- a subscription line without a known price is still part of a subscription
            when lines_to_price.line_item_type = 'subscription' then 'licensed'
            else 'one_time'
        end as price_usage_type,
        lines_to_price.currency_code,

        -- numerics
        lines_to_price.amount,

        -- booleans
        lines_to_price.is_proration,

        -- timestamps
        lines_to_price.loaded_at
    from lines_to_price
    left join prices
        on lines_to_price.price_id = prices.price_id
)

select * from final
