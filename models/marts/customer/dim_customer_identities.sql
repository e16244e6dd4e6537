-- One row per source record that stands for a customer company or a person of one (source_table +
-- source_id) with its customer-360 customer and how it was matched. Built by identity resolution
-- (models/intermediate/identity); the join key for every mart that starts from a source id.
with resolved as (
    select * from {{ ref('int_identity_records_resolved') }}
),

records as (
    select * from {{ ref('int_identity_records_unioned') }}
),

final as (
    select
        -- ids
        cast({{ dbt.concat(["resolved.source_table", "':'", "resolved.source_id"]) }} as {{ dbt.type_string() }})
            as customer_identity_id,
        cast(resolved.customer_id as {{ dbt.type_string() }}) as customer_id,
        cast(resolved.source_table as {{ dbt.type_string() }}) as source_table,
        cast(resolved.source_id as {{ dbt.type_string() }}) as source_id,
        cast(matched_records.source_table as {{ dbt.type_string() }}) as matched_source_table,
        cast(matched_records.source_id as {{ dbt.type_string() }}) as matched_source_id,

        -- strings
        cast(resolved.source_system as {{ dbt.type_string() }}) as source_system,
        cast(resolved.record_kind as {{ dbt.type_string() }}) as record_kind,
        cast(resolved.match_method as {{ dbt.type_string() }}) as match_method,

        -- numerics
        cast(resolved.match_confidence as decimal(4, 3)) as match_confidence,

        -- booleans
        resolved.is_anchor
    from resolved
    left join records as matched_records
        on resolved.matched_record_key = matched_records.record_key
)

select * from final
