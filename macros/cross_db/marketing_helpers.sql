{#- Helpers of the marketing sources' staging (HubSpot, Google Ads, Facebook Ads, LinkedIn Ads, web). -#}

{#- A query returning one row per distinct id that some row of `relation` lists in `list_column`, a
    delimited list of ids (HubSpot's `property_hs_merged_object_ids`, e.g. '1001;1002'), as
    `listed_id`. Spaces around the ids are ignored.
    The default matches every id of `id_column` against the lists with LIKE: portable but quadratic,
    so engines that can split a string into rows do that instead. -#}
{% macro listed_ids(relation, list_column, id_column, delimiter=';') -%}
    {{ return(adapter.dispatch('listed_ids')(relation, list_column, id_column, delimiter)) }}
{%- endmacro %}

{% macro default__listed_ids(relation, list_column, id_column, delimiter) -%}
    select distinct listed.{{ id_column }} as listed_id
    from {{ relation }} as listed
    inner join {{ relation }} as listing
        on
            '{{ delimiter }}' || replace(listing.{{ list_column }}, ' ', '') || '{{ delimiter }}'
            like '%{{ delimiter }}' || listed.{{ id_column }} || '{{ delimiter }}%'
    where listing.{{ list_column }} is not null
{%- endmacro %}

{% macro duckdb__listed_ids(relation, list_column, id_column, delimiter) -%}
    select distinct trim(split_ids.listed_id) as listed_id
    from (
        select unnest(string_split({{ list_column }}, '{{ delimiter }}')) as listed_id
        from {{ relation }}
        where {{ list_column }} is not null
    ) as split_ids
    where trim(split_ids.listed_id) <> ''
{%- endmacro %}

{#- Spark splits the lists into rows too (split takes a regular expression: the delimiter is escaped). -#}
{% macro spark__listed_ids(relation, list_column, id_column, delimiter) -%}
    select distinct trim(split_ids.listed_id) as listed_id
    from (
        select explode(split({{ list_column }}, '{{ modules.re.escape(delimiter) | replace("\\", "\\\\") }}')) as listed_id
        from {{ relation }}
        where {{ list_column }} is not null
    ) as split_ids
    where trim(split_ids.listed_id) <> ''
{%- endmacro %}

{#- Google Ads money in micros (millionths of the account currency) to a decimal amount. -#}
{% macro micros_to_decimal(column) -%}
    cast({{ column }} / 1000000.0 as decimal(18, 2))
{%- endmacro %}

{#- The UTM campaign that an ad platform's campaign name carries after its last ' | '
    ('Brand Search - US | brand_search_us' -> 'brand_search_us'), lower-cased and trimmed like the
    web's utm tags; null when the name does not follow the pattern. `column` should already be
    white-space cleaned (clean_text). -#}
{% macro utm_campaign_from_name(column) -%}
    case
        when {{ column }} like '% | %'
            then nullif(lower(trim(reverse({{ dbt.split_part('reverse(' ~ column ~ ')', "' | '", 1) }}))), '')
    end
{%- endmacro %}
