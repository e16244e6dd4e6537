{#- dbt's datediff on Spark, for the dateparts our models use, typed as on DuckDB (bigint): Spark's
    own datediff returns an int, which breaks the bigint contracts of day counts (days_in_month,
    close_to_first_invoice_days). day: calendar days between the two dates; second: whole seconds
    between the two instants (each truncated to its second, as DuckDB counts them). Null when
    either side is null. Other dateparts (dbt.date_spine's month and week counts) are dbt-spark's
    own version (the `dbt` namespace holds the adapter's macros, never this project's). -#}
{% macro spark__datediff(first_date, second_date, datepart) -%}
    {%- if datepart == 'day' -%}
        cast(datediff(cast({{ second_date }} as date), cast({{ first_date }} as date)) as bigint)
    {%- elif datepart == 'second' -%}
        (unix_timestamp({{ second_date }}) - unix_timestamp({{ first_date }}))
    {%- else -%}
        {{ return(dbt.spark__datediff(first_date, second_date, datepart)) }}
    {%- endif -%}
{%- endmacro %}

{#- dbt's dateadd on Spark, as DuckDB adds an interval: timestampadd keeps the microseconds (dbt-spark's
    version goes through unix seconds and drops them) and the interval is parenthesised (dbt-spark
    multiplies `row_number() over (...) - 1` by 7 without parentheses, so dbt.date_spine by week
    stepped by days). A date comes back as a timestamp, as on DuckDB. -#}
{% macro spark__dateadd(datepart, interval, from_date_or_timestamp) -%}
    timestampadd({{ datepart | upper }}, cast(({{ interval }}) as int), {{ from_date_or_timestamp }})
{%- endmacro %}
