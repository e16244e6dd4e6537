{#- Helpers of identity resolution (models/intermediate/identity). -#}

{#- An email address as the same person writes it in different places: the staged address (already
    trimmed and lower case) without a +tag in its local part (jane+news@acme.com -> jane@acme.com),
    and for Gmail without the dots Gmail ignores (j.doe@gmail.com -> jdoe@gmail.com, googlemail.com
    read as gmail.com). Null when the address is null. -#}
{% macro normalise_email(column) -%}
    {%- set local_part = dbt.split_part(dbt.split_part(column, "'@'", 1), "'+'", 1) -%}
    {%- set domain = dbt.split_part(column, "'@'", 2) -%}
    case
        when {{ column }} is null then null
        when {{ domain }} in ('gmail.com', 'googlemail.com')
            then {{ dbt.concat(["replace(" ~ local_part ~ ", '.', '')", "'@gmail.com'"]) }}
        else {{ dbt.concat([local_part, "'@'", domain]) }}
    end
{%- endmacro %}

{#- True when a company name, as typed (case kept), starts with an initialism: a first word of 2 to
    5 capitals in a name that is not all capitals ('OCV Ventures', 'CI Industries'). Initialisms
    are shared by many companies (Orbit Cobalt Ventures and Orbit Compass Ventures are both 'OCV
    Ventures'), so such names are no evidence of a company on their own. -#}
{% macro is_initialism_name(column) -%}
    {%- set first_word = dbt.split_part("trim(" ~ column ~ ")", "' '", 1) -%}
    coalesce(
        length({{ first_word }}) between 2 and 5
        and {{ first_word }} = upper({{ first_word }})
        and {{ first_word }} <> lower({{ first_word }})
        and {{ column }} <> upper({{ column }}),
        false
    )
{%- endmacro %}

{#- Connected components by min-label propagation, as CTEs ending in one named `components`
    (node_key, component_key = the smallest node key of the node's component).
    `nodes`: a relation or CTE with a column node_key (every node, also those without edges);
    `edges`: a relation or CTE with columns node_key, neighbour_key, holding each link in both
    directions. Every round gives each node the smallest label among itself and its neighbours;
    after `rounds` rounds every component whose diameter is at most `rounds` has one label. Each
    round reads the previous round once (never a recursive CTE, whose intermediate results grow
    quadratically with large components), so the SQL grows linearly with the rounds.
    A data test checks convergence: no edge whose two ends got different components. -#}
{% macro connected_components_ctes(nodes, edges, rounds) -%}
    propagation_edges as (
        select
            node_key,
            neighbour_key
        from {{ edges }}
        union all
        select
            node_key,
            node_key as neighbour_key
        from {{ nodes }}
    ),

    propagation_round_0 as (
        select
            node_key,
            node_key as component_key
        from {{ nodes }}
    ),
    {%- for round in range(1, rounds + 1) %}

    propagation_round_{{ round }} as (
        select
            propagation_edges.node_key,
            min(previous_round.component_key) as component_key
        from propagation_edges
        inner join propagation_round_{{ round - 1 }} as previous_round
            on propagation_edges.neighbour_key = previous_round.node_key
        group by propagation_edges.node_key
    ),
    {%- endfor %}

    components as (
        select
            node_key,
            component_key
        from propagation_round_{{ rounds }}
    )
{%- endmacro %}

{#- The distance of every node from its component's anchor, as CTEs ending in one named
    `anchor_distances` (node_key, anchor_distance): the number of links on a shortest path to the
    anchor, 0 for the anchor itself, null when farther than `rounds` links.
    `nodes`: a relation or CTE with node_key and is_anchor; `edges`: as for
    connected_components_ctes. Each round, a node takes the smallest of its own distance and its
    neighbours' distances + 1, reading the previous round once. -#}
{% macro anchor_distance_ctes(nodes, edges, rounds) -%}
    distance_edges as (
        select
            node_key,
            neighbour_key,
            1 as edge_length
        from {{ edges }}
        union all
        select
            node_key,
            node_key as neighbour_key,
            0 as edge_length
        from {{ nodes }}
    ),

    distance_round_0 as (
        select
            node_key,
            case when is_anchor then 0 end as anchor_distance
        from {{ nodes }}
    ),
    {%- for round in range(1, rounds + 1) %}

    distance_round_{{ round }} as (
        select
            distance_edges.node_key,
            min(previous_round.anchor_distance + distance_edges.edge_length) as anchor_distance
        from distance_edges
        inner join distance_round_{{ round - 1 }} as previous_round
            on distance_edges.neighbour_key = previous_round.node_key
        group by distance_edges.node_key
    ),
    {%- endfor %}

    anchor_distances as (
        select
            node_key,
            anchor_distance
        from distance_round_{{ rounds }}
    )
{%- endmacro %}
