{#- The attainment band of a quota attainment ratio (bookings / quota), from the ascending edges
    of var quota_attainment_band_edges (default [0.5, 0.8, 1.0, 1.2]). Each band includes its lower
    edge and excludes its upper one, so exactly 100% is in '100-120%' (quota met):
    under 50% | 50-80% | 80-100% | 100-120% | 120% and over. Null attainment (no quota) gives null. -#}
{% macro quota_attainment_band(attainment) -%}
    {%- set edges = var('quota_attainment_band_edges') -%}
    {%- set percents = [] -%}
    {%- for edge in edges -%}
        {%- do percents.append('%g' | format(edge * 100)) -%}
    {%- endfor -%}
    case
        when {{ attainment }} is null then null
        when {{ attainment }} < {{ edges[0] }} then 'under {{ percents[0] }}%'
        {%- for edge in edges[1:] %}
        when {{ attainment }} < {{ edge }} then '{{ percents[loop.index0] }}-{{ percents[loop.index0 + 1] }}%'
        {%- endfor %}
        else '{{ percents[-1] }}% and over'
    end
{%- endmacro %}
