{#-
    Fails with one row per combination of the given columns that occurs more than once.
    Rows where any of the columns is null are grouped like any other value, so pair this test
    with not_null on each column when the combination is a key.
    Arguments:
        combination_of_columns: list of column names (at least one)
        quote_columns: quote the names with the adapter's quoting (default false)
-#}
{% test unique_combination_of_columns(model, combination_of_columns, quote_columns=false) %}

    {#- Checked only when executing: a raise while dbt parses would break the whole project. -#}
    {%- if execute and (combination_of_columns is string or combination_of_columns | length == 0) -%}
        {{ exceptions.raise_compiler_error(
            "unique_combination_of_columns needs a non-empty list in combination_of_columns, got: "
            ~ combination_of_columns
        ) }}
    {%- endif -%}

    {%- set columns = [] -%}
    {%- for column in combination_of_columns -%}
        {%- do columns.append(adapter.quote(column) if quote_columns else column) -%}
    {%- endfor -%}
    {%- set column_list = columns | join(", ") %}

    select
        {{ column_list }},
        count(*) as n_records
    from {{ model }}
    group by {{ column_list }}
    having count(*) > 1

{% endtest %}
