{#- An amount billed once per price interval, normalised to one month (kpi-definitions section 1):
    month: / count; year: / (12 x count); week: x 52 / 12 / count; day: x 365 / 12 / count.
    Returns decimal(38, 10); null when the interval is not one of the four (one-time prices). -#}
{% macro monthly_normalised_amount(amount, interval_column, interval_count_column) -%}
    case {{ interval_column }}
        when 'month' then {{ revenue_divide(amount, interval_count_column) }}
        when 'year' then {{ revenue_divide(amount, '12 * ' ~ interval_count_column) }}
        when 'week' then {{ revenue_divide('(' ~ amount ~ ') * 52', '12 * ' ~ interval_count_column) }}
        when 'day' then {{ revenue_divide('(' ~ amount ~ ') * 365', '12 * ' ~ interval_count_column) }}
    end
{%- endmacro %}

{#- An amount rounded to its currency's minor unit (the cent, or the yen for a zero-decimal
    currency), as decimal(18, 2). `exponent_column` is the currencies seed's minor_unit_exponent.
    Each branch is cast on its own: DuckDB types a CASE over decimal(38, 0) and decimal(38, 2) as
    decimal(38, 0) and would round every currency to whole units. -#}
{% macro round_to_minor_unit(amount, exponent_column) -%}
    case
        when {{ exponent_column }} = 0 then cast(round({{ amount }}, 0) as decimal(18, 2))
        else cast(round({{ amount }}, 2) as decimal(18, 2))
    end
{%- endmacro %}
