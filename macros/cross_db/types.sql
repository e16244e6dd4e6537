{#- Column types that dbt's own type macros do not name the same way on every engine. -#}

{#- A double-precision (8-byte) float. dbt.type_float() gives `float`, which is 8 bytes on Postgres
    but 4 bytes on DuckDB, so rates and averages would lose digits there. Contracts in YAML cannot call
    macros: they spell the type `double precision`, which DuckDB and Postgres both read as this type. -#}
{% macro type_double() -%}
    {{ return(adapter.dispatch('type_double')()) }}
{%- endmacro %}

{% macro default__type_double() -%}
    double precision
{%- endmacro %}

{% macro duckdb__type_double() -%}
    double
{%- endmacro %}

{% macro spark__type_double() -%}
    double
{%- endmacro %}

{#- round(x, digits) of a double precision value: Postgres rounds to a number of digits only numerics,
    so it rounds the double's exact decimal value; DuckDB rounds the double itself. -#}
{% macro round_double(expression, digits) -%}
    {{ return(adapter.dispatch('round_double')(expression, digits)) }}
{%- endmacro %}

{% macro default__round_double(expression, digits) -%}
    round(cast({{ expression }} as numeric), {{ digits }})
{%- endmacro %}

{% macro duckdb__round_double(expression, digits) -%}
    round({{ expression }}, {{ digits }})
{%- endmacro %}

{#- Spark: `numeric` alone is decimal(10, 0) there, so the default would round to whole units, and
    Spark's round of a double rounds its shortest decimal spelling half up (1.005 -> 1.01), where
    DuckDB scales the double, rounds it half away from zero and scales back (1.005 * 100 is
    100.49999999999999 -> 1.0). This does DuckDB's steps: a whole-number round of the scaled double
    is the same on both (the shortest spelling of a double is never a .5 it is not). -#}
{% macro spark__round_double(expression, digits) -%}
    (round(({{ expression }}) * {{ 10 ** digits }}D, 0) / {{ 10 ** digits }}D)
{%- endmacro %}

{#- numerator / denominator rounded to `digits` decimals, half away from zero, computed exactly on
    every engine, so a money quotient on a half-cent tie (0.285 -> 0.29) lands on the same cent on
    DuckDB, Postgres and Spark; null when the denominator is 0 or null. Operands are exact numbers
    (decimals or integers) with at most 10 decimals. Postgres and Spark divide decimals exactly (to
    at least 10 decimals here, far below the gap between a cent quotient and its nearest tie); DuckDB
    divides decimals as doubles (round(0.285 / 1.0, 2) is 0.28 there), so its version divides the
    operands as integers of 10^-10 units. -#}
{% macro money_quotient(numerator, denominator, digits=2) -%}
    {{ return(adapter.dispatch('money_quotient')(numerator, denominator, digits)) }}
{%- endmacro %}

{% macro default__money_quotient(numerator, denominator, digits) -%}
    cast(
        round(cast({{ numerator }} as decimal(28, 10)) / nullif(cast({{ denominator }} as decimal(28, 10)), 0), {{ digits }})
        as decimal(18, {{ digits }})
    )
{%- endmacro %}

{#- (2|n| * 10^digits + |d|) div (2|d|) is |n/d| * 10^digits rounded half up, in integers of 10^-10
    units (hugeint: 1e12 * 1e10 * 2e2 stays below its 1.7e38); the sign is put back and the integer
    scaled by a decimal literal, never divided, so the result never passes through a double. -#}
{% macro duckdb__money_quotient(numerator, denominator, digits) -%}
    {%- set n = "cast(cast(" ~ numerator ~ " as decimal(38, 10)) * 10000000000 as hugeint)" -%}
    {%- set d = "cast(cast(" ~ denominator ~ " as decimal(38, 10)) * 10000000000 as hugeint)" -%}
    cast(
        cast(
            sign({{ n }}) * sign({{ d }})
            * ((2 * abs({{ n }}) * {{ 10 ** digits }} + abs({{ d }})) // nullif(2 * abs({{ d }}), 0))
            as decimal(38, 0)
        ) * {{ '1' if digits == 0 else '0.' ~ '0' * (digits - 1) ~ '1' }}
        as decimal(18, {{ digits }})
    )
{%- endmacro %}
