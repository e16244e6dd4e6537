{#- A list of strings as a SQL list of quoted literals, for `in (...)`: ['a', "b'c"] -> 'a', 'b''c'. -#}
{% macro quoted_list(values) -%}
    {%- for value in values -%}
        '{{ value | replace("'", "''") }}'{% if not loop.last %}, {% endif %}
    {%- endfor -%}
{%- endmacro %}
