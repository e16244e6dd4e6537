-- The connected components converged within var identity_propagation_rounds: no link whose two
-- ends got different labels, at each stage (steps 1-2, steps 1-3, all steps), and no link of the
-- final graph whose ends are more than one link apart in distance from the anchor (so every
-- record's distance is exact and its customer_id is the same as its neighbours'). If this fails,
-- raise identity_propagation_rounds.
with email_components as (
    select * from {{ ref('int_identity_email_components_labelled') }}
),

name_components as (
    select * from {{ ref('int_identity_name_components_labelled') }}
),

resolved as (
    select * from {{ ref('int_identity_records_resolved') }}
),

stage_links as (
    select
        'steps 1-2' as stage,
        from_record_key,
        to_record_key
    from {{ ref('int_identity_external_id_links_matched') }}
    union all
    select
        'steps 1-2' as stage,
        from_record_key,
        to_record_key
    from {{ ref('int_identity_email_links_matched') }}
    union all
    select
        'steps 1-3' as stage,
        from_record_key,
        to_record_key
    from {{ ref('int_identity_name_links_matched') }}
),

stage_failures as (
    select
        stage_links.stage,
        stage_links.from_record_key,
        stage_links.to_record_key
    from stage_links
    inner join email_components as from_components
        on stage_links.from_record_key = from_components.record_key
    inner join email_components as to_components
        on stage_links.to_record_key = to_components.record_key
    where stage_links.stage = 'steps 1-2' and from_components.component_key <> to_components.component_key
    union all
    select
        'steps 1-3' as stage,
        stage_links.from_record_key,
        stage_links.to_record_key
    from stage_links
    inner join name_components as from_components
        on stage_links.from_record_key = from_components.record_key
    inner join name_components as to_components
        on stage_links.to_record_key = to_components.record_key
    where from_components.component_key <> to_components.component_key
),

-- the final components as resolved carries them (anchor_record_key and anchor_distance are
-- int_identity_components_labelled's, one row per record), so each link joins two relations, not
-- four: at scale 100 this test was the sixth slowest node of the build
final_failures as (
    select
        'all steps' as stage,
        links.from_record_key,
        links.to_record_key
    from {{ ref('int_identity_links_unioned') }} as links
    inner join resolved as from_resolved
        on links.from_record_key = from_resolved.record_key
    inner join resolved as to_resolved
        on links.to_record_key = to_resolved.record_key
    where
        from_resolved.anchor_record_key <> to_resolved.anchor_record_key
        or from_resolved.customer_id <> to_resolved.customer_id
        or abs(from_resolved.anchor_distance - to_resolved.anchor_distance) > 1
),

final as (
    select * from stage_failures
    union all
    select * from final_failures
)

select * from final
