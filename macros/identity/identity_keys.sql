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

{#- Graph nodes numbered in key order, as CTEs `{prefix}_numbered_nodes` (the columns of `nodes` and
    node_number) and `{prefix}_numbered_edges` (node_number, neighbour_number). The propagations below join and
    group every node in every round: on integers they move a fraction of the bytes of the text
    record keys (about 40 characters), which is what decides their speed and spill at scale 100.
    Numbered in key order, the smallest number of a group is its smallest key. -#}
{% macro numbered_graph_ctes(prefix, nodes, edges) -%}
    {{ prefix }}_numbered_nodes as (
        select
            graph_nodes.*,
            row_number() over (order by graph_nodes.node_key) as node_number
        from {{ nodes }} as graph_nodes
    ),

    {{ prefix }}_numbered_edges as (
        select
            from_nodes.node_number,
            to_nodes.node_number as neighbour_number
        from {{ edges }} as graph_edges
        inner join {{ prefix }}_numbered_nodes as from_nodes
            on graph_edges.node_key = from_nodes.node_key
        inner join {{ prefix }}_numbered_nodes as to_nodes
            on graph_edges.neighbour_key = to_nodes.node_key
    )
{%- endmacro %}

{#- Connected components by min-label propagation, as CTEs ending in one named `components`
    (node_key, component_key = the smallest node key of the node's component).
    `nodes`: a relation or CTE with a column node_key (every node, also those without edges);
    `edges`: a relation or CTE with columns node_key, neighbour_key, holding each link in both
    directions. Every round gives each node the smallest label among itself and its neighbours;
    after `rounds` rounds every component whose diameter is at most `rounds` has one label. Each
    round reads the previous round once (never a recursive CTE, whose intermediate results grow
    quadratically with large components), so the SQL grows linearly with the rounds; the rounds
    run on node numbers (numbered_graph_ctes).
    A data test checks convergence: no edge whose two ends got different components. -#}
{% macro connected_components_ctes(nodes, edges, rounds) -%}
    {{ numbered_graph_ctes('propagation', nodes, edges) }},

    propagation_edges as (
        select
            node_number,
            neighbour_number
        from propagation_numbered_edges
        union all
        select
            node_number,
            node_number as neighbour_number
        from propagation_numbered_nodes
    ),

    propagation_round_0 as (
        select
            node_number,
            node_number as component_number
        from propagation_numbered_nodes
    ),
    {%- for round in range(1, rounds + 1) %}

    propagation_round_{{ round }} as (
        select
            propagation_edges.node_number,
            min(previous_round.component_number) as component_number
        from propagation_edges
        inner join propagation_round_{{ round - 1 }} as previous_round
            on propagation_edges.neighbour_number = previous_round.node_number
        group by propagation_edges.node_number
    ),
    {%- endfor %}

    components as (
        select
            numbered_nodes.node_key,
            component_nodes.node_key as component_key
        from propagation_round_{{ rounds }} as labels
        inner join propagation_numbered_nodes as numbered_nodes
            on labels.node_number = numbered_nodes.node_number
        inner join propagation_numbered_nodes as component_nodes
            on labels.component_number = component_nodes.node_number
    )
{%- endmacro %}

{#- The components of a graph of which `record_components` (record_key, component_key: the smallest
    record key of the component, as connected_components_ctes gives it) are already known, merged by
    more `links` (from_record_key, to_record_key), as CTEs ending in one named `merged_components`
    (record_key, component_key). The propagation runs on the components the new links join, not on
    every record: a component of the larger graph is a component of that smaller graph's, and its
    smallest record key is the smallest of its parts' keys. -#}
{% macro merged_components_ctes(record_components, links, rounds) -%}
    component_links as (
        select
            from_components.component_key as from_component_key,
            to_components.component_key as to_component_key
        from {{ links }} as new_links
        inner join {{ record_components }} as from_components
            on new_links.from_record_key = from_components.record_key
        inner join {{ record_components }} as to_components
            on new_links.to_record_key = to_components.record_key
        where from_components.component_key <> to_components.component_key
    ),

    component_edges as (
        select
            from_component_key as node_key,
            to_component_key as neighbour_key
        from component_links
        union all
        select
            to_component_key as node_key,
            from_component_key as neighbour_key
        from component_links
    ),

    linked_components as (
        select distinct node_key
        from component_edges
    ),

    {{ connected_components_ctes('linked_components', 'component_edges', rounds) }},

    merged_components as (
        select
            record_components.record_key,
            coalesce(components.component_key, record_components.component_key) as component_key
        from {{ record_components }} as record_components
        left join components
            on record_components.component_key = components.node_key
    )
{%- endmacro %}

{#- The distance of every node from its component's anchor, as CTEs ending in one named
    `anchor_distances` (node_key, anchor_distance): the number of links on a shortest path to the
    anchor, 0 for the anchor itself, null when farther than `rounds` links.
    `nodes`: a relation or CTE with node_key and is_anchor; `edges`: as for
    connected_components_ctes. A breadth-first search from every anchor at once: the nodes at
    distance d are the neighbours of those at d - 1 that are at neither d - 1 nor d - 2 (with links
    in both directions, a neighbour of a node at d - 1 is at d - 2, d - 1 or d), so each round reads
    only the edges of the previous round's nodes instead of every edge. Spark inlines CTEs, and
    each level read by the next two made its plan grow exponentially with the rounds (the JVM ran
    out of heap): there every round takes the smallest distance among the node and its neighbours
    from the previous round, reading it once. -#}
{% macro anchor_distance_ctes(nodes, edges, rounds) -%}
    {{ numbered_graph_ctes('distance', nodes, edges) }},

{%- if target.type == 'spark' %}
    distance_edges as (
        select
            node_number,
            neighbour_number,
            1 as edge_length
        from distance_numbered_edges
        union all
        select
            node_number,
            node_number as neighbour_number,
            0 as edge_length
        from distance_numbered_nodes
    ),

    distance_round_0 as (
        select
            node_number,
            case when is_anchor then 0 end as anchor_distance
        from distance_numbered_nodes
    ),
    {%- for round in range(1, rounds + 1) %}

    distance_round_{{ round }} as (
        select
            distance_edges.node_number,
            min(previous_round.anchor_distance + distance_edges.edge_length) as anchor_distance
        from distance_edges
        inner join distance_round_{{ round - 1 }} as previous_round
            on distance_edges.neighbour_number = previous_round.node_number
        group by distance_edges.node_number
    ),
    {%- endfor %}

    distances_reached as (
        select
            node_number,
            anchor_distance
        from distance_round_{{ rounds }}
        where anchor_distance is not null
    ),

{%- else %}
    distance_at_0 as (
        select node_number
        from distance_numbered_nodes
        where is_anchor
    ),
    {%- for round in range(1, rounds + 1) %}

    distance_at_{{ round }} as (
        select distinct distance_numbered_edges.neighbour_number as node_number
        from distance_at_{{ round - 1 }} as previous_round
        inner join distance_numbered_edges
            on previous_round.node_number = distance_numbered_edges.node_number
        {%- for earlier_round in range([round - 2, 0] | max, round) %}
        left join distance_at_{{ earlier_round }}
            on distance_numbered_edges.neighbour_number = distance_at_{{ earlier_round }}.node_number
        {%- endfor %}
        where
            {%- for earlier_round in range([round - 2, 0] | max, round) %}
            {{ 'and ' if not loop.first }}distance_at_{{ earlier_round }}.node_number is null
            {%- endfor %}
    ),
    {%- endfor %}

    distances_reached as (
        {%- for round in range(0, rounds + 1) %}
        select
            node_number,
            {{ round }} as anchor_distance
        from distance_at_{{ round }}
        {{ 'union all' if not loop.last }}
        {%- endfor %}
    ),

{%- endif %}
    anchor_distances as (
        select
            distance_numbered_nodes.node_key,
            distances_reached.anchor_distance
        from distance_numbered_nodes
        left join distances_reached
            on distance_numbered_nodes.node_number = distances_reached.node_number
    )
{%- endmacro %}
