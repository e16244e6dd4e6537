-- Rows that failed each data-quality check, by raw table and load day. A reject rule belongs to
-- one check category: completeness (a required key missing), referential (a key pointing at
-- nothing), validity (an impossible value, an unknown currency) or uniqueness (a superseded
-- duplicate load).
with dispositions as (
    select * from {{ ref('int_staging_row_dispositions') }}
),

loads as (
    select * from {{ ref('fct_data_quality_loads') }}
),

failures as (
    select
        source_table,
        load_date,
        case
            when row_disposition = 'duplicate' then 'uniqueness'
            when reject_rule = 'null_key' then 'completeness'
            when reject_rule = 'orphan_fk' then 'referential'
            else 'validity'
        end as check_category,
        coalesce(reject_rule, 'duplicate_load') as check_name,
        cast(sum(row_count) as bigint) as rows_failed
    from dispositions
    where row_disposition in ('rejected', 'duplicate')
    group by 1, 2, 3, 4
),

final as (
    select
        {{ dbt.concat(["failures.source_table", "'|'", "cast(failures.load_date as " ~ dbt.type_string() ~ ")",
                       "'|'", "failures.check_name"]) }} as data_quality_check_id,
        loads.data_quality_load_id,
        failures.source_table,
        failures.load_date,
        failures.check_category,
        failures.check_name,
        loads.rows_checked,
        failures.rows_failed,
        cast(1 - failures.rows_failed * 1.0 / loads.rows_checked as decimal(9, 6)) as pass_rate
    from failures
    inner join loads
        on
            failures.source_table = loads.source_table
            and failures.load_date = loads.load_date
)

select * from final
