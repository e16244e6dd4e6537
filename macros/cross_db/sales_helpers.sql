{#- Engine-specific SQL of the funnel and sales models. -#}

{#- The median of an expression as an aggregate (the 50th percentile, interpolated between the two
    middle values of an even count). Most engines spell it as the ordered-set aggregate
    percentile_cont; DuckDB also has median(), which is the same quantity. -#}
{% macro sales_median(expression) -%}
    {{ return(adapter.dispatch('sales_median')(expression)) }}
{%- endmacro %}

{% macro default__sales_median(expression) -%}
    percentile_cont(0.5) within group (order by {{ expression }})
{%- endmacro %}

{% macro duckdb__sales_median(expression) -%}
    median({{ expression }})
{%- endmacro %}

{% macro spark__sales_median(expression) -%}
    percentile({{ expression }}, 0.5)
{%- endmacro %}
