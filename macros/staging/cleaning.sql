{#- Text as staging wants it: trimmed, inner runs of white space folded to one, empty as null.
    Regular-expression flags differ by engine: macros/cross_db/text.sql. -#}
{% macro clean_text(column) -%}
    {{ return(adapter.dispatch('clean_text')(column)) }}
{%- endmacro %}

{#- Enum-like values (statuses, types) compared in lower case. -#}
{% macro clean_enum(column) -%}
    lower({{ clean_text(column) }})
{%- endmacro %}

{#- An email address: trimmed and lower-cased; null unless it looks like local@domain.tld. -#}
{% macro clean_email(column) -%}
    case
        when lower(trim({{ column }})) like '%_@_%._%' and trim({{ column }}) not like '% %'
            then lower(trim({{ column }}))
    end
{%- endmacro %}

{#- The domain part of an email address. -#}
{% macro email_domain(column) -%}
    {{ dbt.split_part(clean_email(column), "'@'", 2) }}
{%- endmacro %}

{#- A website or URL reduced to its bare host: no scheme, no www., no path, lower case. -#}
{% macro clean_domain(column) -%}
    nullif(
        {{ dbt.split_part(
            "regexp_replace(lower(trim(" ~ column ~ ")), '^(https?://)?(www\\.)?', '')",
            "'/'", 1
        ) }},
        ''
    )
{%- endmacro %}

{#- Money in a currency's minor unit (Stripe) to a decimal amount. Zero-decimal currencies are
    Stripe's published list; everything else has two decimals. -#}
{% macro minor_units_to_decimal(amount_column, currency_column) -%}
    cast(
        case
            when lower({{ currency_column }}) in (
                'bif', 'clp', 'djf', 'gnf', 'jpy', 'kmf', 'krw', 'mga',
                'pyg', 'rwf', 'ugx', 'vnd', 'vuv', 'xaf', 'xof', 'xpf'
            ) then {{ amount_column }}
            else {{ amount_column }} / 100.0
        end
        as decimal(18, 2)
    )
{%- endmacro %}
