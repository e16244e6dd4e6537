-- Step 4 of identity resolution: a record group of steps 1-3 that carries no company domain (its
-- people wrote from personal addresses and gave no website) joins the group whose company name is
-- most similar to one of its own, when the similarity (macro name_similarity: 1 - edits / length)
-- reaches var identity_name_similarity_threshold. It catches typos ('Siwft Golden Partners').
-- - Blocking: a name of several words is compared only with names of as many words that agree
--   with it on every word but one (a typo lands in one word): each name gets one key per word, the
--   name with that word masked ('blue * analytics'). A block then holds the names sharing all other
--   words, a handful however many records there are, so the work grows with the records, not with
--   their square (blocks on the first or last four characters grew with the data: 11 M edit
--   distances at scale 10, and a hundred times that at scale 100). A one-word name is compared with
--   one-word names sharing its first or its last var identity_name_block_length characters. Only
--   the first var identity_name_block_max_words words make keys; later words never split a block.
-- - Each domainless group makes at most one link, to its best match (highest similarity, then the
--   smallest record key). Groups with a domain never start a link, so a chain of similarity links
--   can never join two groups of different company domains.

{%- set max_words = var('identity_name_block_max_words') %}

with records as (
    select * from {{ ref('int_identity_records_unioned') }}
),

record_domains as (
    select * from {{ ref('int_identity_record_domains_filtered') }}
),

components as {{ not_materialized() }} (
    select * from {{ ref('int_identity_name_components_labelled') }}
),

name_groups as (
    select
        records.company_name_normalised,
        components.component_key,
        min(records.record_key) as name_record_key
    from records
    inner join components
        on records.record_key = components.record_key
    where records.company_name_normalised is not null and not records.has_initialism_name
    group by records.company_name_normalised, components.component_key
),

domain_bearing_groups as (
    select distinct components.component_key
    from record_domains
    inner join components
        on record_domains.record_key = components.record_key
),

name_words as (
    select
        company_name_normalised,
        component_key,
        name_record_key,
        -- normalised names have single spaces between words and none at either end
        length(company_name_normalised) - length(replace(company_name_normalised, ' ', '')) + 1 as word_count
    from name_groups
),

name_blocks as (
    {%- for masked in range(1, max_words + 1) %}
        {%- set parts = ["'" ~ masked ~ "/'", "cast(word_count as " ~ dbt.type_string() ~ ")"] %}
        {%- for word in range(1, max_words + 1) %}
            {%- do parts.append("'|'") %}
            {#- a word past the name's end: null on some engines, '' on others #}
            {%- do parts.append("'*'" if word == masked else
                "coalesce(" ~ dbt.split_part('company_name_normalised', "' '", word) ~ ", '')") %}
        {%- endfor %}
        select
            company_name_normalised,
            component_key,
            name_record_key,
            {{ dbt.concat(parts) }} as block_key
        from name_words
        where word_count >= {{ [masked, 2] | max }}

        union all
    {%- endfor %}

    select
        company_name_normalised,
        component_key,
        name_record_key,
        {{ dbt.concat([
            "'first:'", "substring(company_name_normalised, 1, " ~ var('identity_name_block_length') ~ ")"
        ]) }} as block_key
    from name_words
    where word_count = 1

    union all

    select
        company_name_normalised,
        component_key,
        name_record_key,
        {{ dbt.concat(["'last:'", dbt.right("company_name_normalised", var('identity_name_block_length'))]) }}
            as block_key
    from name_words
    where word_count = 1
),

query_blocks as (
    select name_blocks.*
    from name_blocks
    left join domain_bearing_groups
        on name_blocks.component_key = domain_bearing_groups.component_key
    where domain_bearing_groups.component_key is null
),

candidate_pairs as (
    select distinct
        query_blocks.component_key as query_component_key,
        query_blocks.name_record_key as query_record_key,
        query_blocks.company_name_normalised as query_name,
        name_blocks.name_record_key as match_record_key,
        name_blocks.company_name_normalised as match_name
    from query_blocks
    inner join name_blocks
        on
            query_blocks.block_key = name_blocks.block_key
            and query_blocks.component_key <> name_blocks.component_key
            -- edits >= the difference in length, so a pair whose lengths differ by more than the
            -- threshold allows can never match: skipping it is exact
            and abs(length(query_blocks.company_name_normalised) - length(name_blocks.company_name_normalised))
            <= (1 - {{ var('identity_name_similarity_threshold') }}) * greatest(
                length(query_blocks.company_name_normalised), length(name_blocks.company_name_normalised), 1
            )
),

scored_pairs as (
    select
        *,
        {{ name_similarity('query_name', 'match_name') }} as name_similarity
    from candidate_pairs
),

ranked_pairs as (
    select
        *,
        row_number() over (
            partition by query_component_key
            order by name_similarity desc, match_record_key asc, query_record_key asc
        ) as match_rank
    from scored_pairs
    where name_similarity >= {{ var('identity_name_similarity_threshold') }}
),

final as (
    select
        query_record_key as from_record_key,
        match_record_key as to_record_key,
        'company_name_similarity' as match_method,
        name_similarity
    from ranked_pairs
    where match_rank = 1
)

select * from final
