{#- Engine-specific SQL of identity resolution (models/intermediate/identity). -#}

{#- A company name reduced to what identifies the company: lower case, every punctuation character
    turned into a space, runs of spaces folded to one, and the legal-form words of var
    `identity_legal_suffixes` (inc, llc, ltd, gmbh, ...) dropped from the end, however many there
    are ('Acme Pty. Ltd.' -> 'acme', 'Acme, Inc' -> 'acme'); null when nothing is left. -#}
{% macro normalise_company_name(column) -%}
    {{ return(adapter.dispatch('normalise_company_name')(column)) }}
{%- endmacro %}

{% macro _legal_suffix_pattern() -%}
    ( ({{ var('identity_legal_suffixes') | join('|') }}))+$
{%- endmacro %}

{% macro default__normalise_company_name(column) -%}
    nullif(
        regexp_replace(
            trim(regexp_replace(regexp_replace(lower({{ column }}), '[[:punct:]]', ' ', 'g'), '\s+', ' ', 'g')),
            '{{ _legal_suffix_pattern() }}',
            '',
            'g'
        ),
        ''
    )
{%- endmacro %}

{% macro spark__normalise_company_name(column) -%}
    nullif(
        regexp_replace(
            trim(regexp_replace(regexp_replace(lower({{ column }}), '\\p{Punct}', ' '), '\\s+', ' ')),
            '{{ _legal_suffix_pattern() }}',
            ''
        ),
        ''
    )
{%- endmacro %}

{#- Similarity of two strings between 0 and 1: 1 - edit distance / length of the longer string.
    DuckDB counts a swap of two neighbouring letters as one edit (Damerau-Levenshtein), the usual
    typo; other engines use plain Levenshtein (Postgres needs the fuzzystrmatch extension), where a
    swap costs two. An edit-distance measure rather than Jaro-Winkler: Jaro-Winkler rewards a shared
    prefix so much that 'blue media' and 'blue medical' score 0.97. -#}
{% macro name_similarity(left_column, right_column) -%}
    {{ return(adapter.dispatch('name_similarity')(left_column, right_column)) }}
{%- endmacro %}

{% macro default__name_similarity(left_column, right_column) -%}
    (1.0 - cast(levenshtein({{ left_column }}, {{ right_column }}) as double precision)
        / greatest(length({{ left_column }}), length({{ right_column }}), 1))
{%- endmacro %}

{#- Postgres: the damerau_levenshtein function that prepare_engine (on-run-start) creates, so both
    engines link the same names. -#}
{% macro postgres__name_similarity(left_column, right_column) -%}
    (1.0 - cast({{ target.schema }}.damerau_levenshtein({{ left_column }}, {{ right_column }}) as double precision)
        / greatest(length({{ left_column }}), length({{ right_column }}), 1))
{%- endmacro %}

{% macro duckdb__name_similarity(left_column, right_column) -%}
    (1.0 - cast(damerau_levenshtein({{ left_column }}, {{ right_column }}) as double)
        / greatest(length({{ left_column }}), length({{ right_column }}), 1))
{%- endmacro %}

{#- Spark: the same distance as DuckDB's, as one expression (macros/cross_db/spark_damerau_levenshtein.sql). -#}
{% macro spark__name_similarity(left_column, right_column) -%}
    (1.0 - cast({{ spark_damerau_levenshtein(left_column, right_column) }} as double)
        / greatest(length({{ left_column }}), length({{ right_column }}), 1))
{%- endmacro %}

{#- A query returning one row per (id, listed id) for the ids that `id_column` lists in
    `list_column`, a delimited list such as HubSpot's merged contact ids ('1001;1002'), as columns
    `id` and `listed_id`; spaces around the listed ids are dropped, empty entries skipped. The
    default reads positions 1 .. var `identity_max_merged_ids` with split_part; DuckDB splits the
    list into rows. -#}
{% macro list_to_rows(relation, id_column, list_column, delimiter=';') -%}
    {{ return(adapter.dispatch('list_to_rows')(relation, id_column, list_column, delimiter)) }}
{%- endmacro %}

{% macro default__list_to_rows(relation, id_column, list_column, delimiter) -%}
    select distinct split_lists.id, split_lists.listed_id
    from (
        {%- for position in range(1, var('identity_max_merged_ids') + 1) %}
            select
                {{ id_column }} as id,
                trim({{ dbt.split_part(list_column, "'" ~ delimiter ~ "'", position) }}) as listed_id
            from {{ relation }}
            where {{ list_column }} is not null
            {%- if not loop.last %}
                union all
            {%- endif %}
        {%- endfor %}
    ) as split_lists
    where split_lists.listed_id <> ''
{%- endmacro %}

{% macro duckdb__list_to_rows(relation, id_column, list_column, delimiter) -%}
    select distinct split_lists.id, trim(split_lists.listed_id) as listed_id
    from (
        select
            {{ id_column }} as id,
            unnest(string_split({{ list_column }}, '{{ delimiter }}')) as listed_id
        from {{ relation }}
        where {{ list_column }} is not null
    ) as split_lists
    where trim(split_lists.listed_id) <> ''
{%- endmacro %}

{#- Spark splits the list into rows too (split takes a regular expression: the delimiter is escaped). -#}
{% macro spark__list_to_rows(relation, id_column, list_column, delimiter) -%}
    select distinct split_lists.id, trim(split_lists.listed_id) as listed_id
    from (
        select
            {{ id_column }} as id,
            explode(split({{ list_column }}, '{{ modules.re.escape(delimiter) | replace("\\", "\\\\") }}')) as listed_id
        from {{ relation }}
        where {{ list_column }} is not null
    ) as split_lists
    where trim(split_lists.listed_id) <> ''
{%- endmacro %}
