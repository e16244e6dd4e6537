{#- A Stripe unit price in the currency's minor unit (integer, or a decimal such as 0.01 cent per
    API call) to a decimal(18, 6) amount in the currency's major unit.
    minor_units_to_decimal rounds to two decimals, which is right for money that is billed but
    turns a metered price of 0.01 cent per call into 0.00. This keeps four more decimals by
    scaling the value by 10^4 before the shared conversion and back after it, so the list of
    zero-decimal currencies stays in one place (minor_units_to_decimal): 0.01 usd cent becomes
    0.000100 USD, 0.02 jpy stays 0.020000 JPY, 4500 usd cents becomes 45.000000 USD. -#}
{% macro stripe_unit_amount_to_decimal(amount_column, currency_column) -%}
    cast(
        cast(
            {{ minor_units_to_decimal('(' ~ amount_column ~ ') * 10000', currency_column) }}
            as decimal(18, 6)
        ) / 10000
        as decimal(18, 6)
    )
{%- endmacro %}
