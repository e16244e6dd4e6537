{#-
    Fails with one row per count of a raw table, disposition and reject rule that the table does not
    declare. Applied to the staging row counts (int_staging_row_dispositions), not to the base models:
    those are views over every raw row, and a test on one re-runs its de-duplication (at scale 10 the
    135 disposition tests on base models took 25 s of a build; here it is one query on a few thousand
    counts).
    Arguments:
        declared: raw table (schema.table) -> {row_dispositions: [...], reject_rules: [...]}
    A row fails when its table is not declared, its disposition is null or not declared for the
    table, its reject rule is not declared for the table, or it has a reject rule without being
    rejected (or is rejected without one).
-#}
{% test declared_row_dispositions(model, declared) %}

    {%- if execute and not declared -%}
        {{ exceptions.raise_compiler_error("declared_row_dispositions needs `declared`: raw table -> dispositions and rules") }}
    {%- endif %}

    select *
    from {{ model }}
    where not coalesce(
        (row_disposition = 'rejected') = (reject_rule is not null)
        and (
            {%- for table, allowed in (declared or {}).items() %}
                {% if not loop.first %}or {% endif -%}
                (
                    source_table = '{{ table }}'
                    and row_disposition in (
                        {%- for value in allowed.get('row_dispositions') or [none] -%}
                            {{ "'" ~ value | replace("'", "''") ~ "'" if value is not none else 'null' }}
                            {%- if not loop.last %}, {% endif -%}
                        {%- endfor -%}
                    )
                    and (
                        reject_rule is null
                        {%- for value in allowed.get('reject_rules') or [] %}
                            or reject_rule = '{{ value | replace("'", "''") }}'
                        {%- endfor %}
                    )
                )
            {%- else %}
                false
            {%- endfor %}
        ),
        false
    )

{% endtest %}
