-- Every identity link of the four steps, one row per link (from record, to record, method), with
-- the method's step, confidence and strength from the identity_match_methods seed. A
-- name-similarity link's confidence is the method's confidence x the names' similarity.

with external_id_links as (
    select * from {{ ref('int_identity_external_id_links_matched') }}
),

email_links as (
    select * from {{ ref('int_identity_email_links_matched') }}
),

name_links as (
    select * from {{ ref('int_identity_name_links_matched') }}
),

similar_name_links as (
    select * from {{ ref('int_identity_similar_name_links_matched') }}
),

match_methods as (
    select * from {{ ref('identity_match_methods') }}
),

links as (
    select
        from_record_key,
        to_record_key,
        match_method,
        cast(null as {{ dbt.type_float() }}) as name_similarity
    from external_id_links
    union all
    select
        from_record_key,
        to_record_key,
        match_method,
        cast(null as {{ dbt.type_float() }}) as name_similarity
    from email_links
    union all
    select
        from_record_key,
        to_record_key,
        match_method,
        cast(null as {{ dbt.type_float() }}) as name_similarity
    from name_links
    union all
    select
        from_record_key,
        to_record_key,
        match_method,
        name_similarity
    from similar_name_links
),

final as (
    select
        -- ids
        {{ dbt.concat(["links.from_record_key", "' > '", "links.to_record_key", "' ('", "links.match_method", "')'"]) }}
            as identity_link_id,
        links.from_record_key,
        links.to_record_key,

        -- strings
        links.match_method,
        match_methods.match_step,

        -- numerics
        cast(
            match_methods.match_confidence * coalesce(links.name_similarity, 1.0) as decimal(4, 3)
        ) as match_confidence,
        match_methods.strength_rank,
        cast(links.name_similarity as decimal(4, 3)) as name_similarity
    from links
    inner join match_methods
        on links.match_method = match_methods.match_method
)

select * from final
