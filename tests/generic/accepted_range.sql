{#-
    Fails with one row per non-null value of the column outside the range.
    Arguments:
        min_value, max_value: bounds (numbers, or SQL expressions such as dates); give one or both
        inclusive: bounds themselves are accepted (default true)
        where: optional SQL condition; only rows meeting it are checked. In YAML dbt treats
            `where` (even under `arguments:`) as the test's config and filters the model before
            the test runs, which has the same effect; the argument serves direct macro calls.
    Nulls are not checked (use not_null for that).
-#}
{% test accepted_range(model, column_name, min_value=none, max_value=none, inclusive=true, where=none) %}

    {#- Checked only when executing: a raise while dbt parses would break the whole project. -#}
    {%- if execute and min_value is none and max_value is none -%}
        {{ exceptions.raise_compiler_error("accepted_range needs min_value, max_value or both") }}
    {%- endif -%}

    {%- set lower_operator = ">=" if inclusive else ">" -%}
    {%- set upper_operator = "<=" if inclusive else "<" %}

    select *
    from {{ model }}
    where
        {{ column_name }} is not null
        {%- if where is not none %}
            and ({{ where }})
        {%- endif %}
        and not (
            1 = 1
            {%- if min_value is not none %}
                and {{ column_name }} {{ lower_operator }} {{ min_value }}
            {%- endif %}
            {%- if max_value is not none %}
                and {{ column_name }} {{ upper_operator }} {{ max_value }}
            {%- endif %}
        )

{% endtest %}
