{#- Text helpers whose regular expressions differ by engine (staging's clean_text dispatches here). -#}

{#- Trimmed, inner runs of white space folded to one space, empty as null. DuckDB and Postgres
    replace every match only with the 'g' flag; Spark's regexp_replace replaces every match and
    takes a start position, not flags, as its fourth argument, and its string literals read a
    backslash as an escape, so the pattern's backslash is doubled. -#}
{% macro default__clean_text(column) -%}
    nullif(trim(regexp_replace({{ column }}, '\s+', ' ', 'g')), '')
{%- endmacro %}

{% macro spark__clean_text(column) -%}
    nullif(trim(regexp_replace({{ column }}, '\\s+', ' ')), '')
{%- endmacro %}

{#- dbt's split_part on Spark: Spark's own split_part (3.3 and later), which behaves as DuckDB's: the
    delimiter is literal text and a part past the end is ''. dbt-spark's version splits on a regular
    expression escaping only the delimiter's first character (' | ' would split on every space) and
    gives null past the end. -#}
{% macro spark__split_part(string_text, delimiter_text, part_number) -%}
    split_part({{ string_text }}, {{ delimiter_text }}, {{ part_number }})
{%- endmacro %}
