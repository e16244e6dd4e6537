-- The data-quality score of every raw table and load day (kpi-definitions section 6): the share
-- of raw rows that pass the completeness, validity, referential and uniqueness checks. Rows that
-- fail are kept in the sources' rejects tables (or were superseded duplicate loads), never dropped.
with dispositions as (
    select * from {{ ref('int_staging_row_dispositions') }}
),

per_load as (
    select
        source_table,
        load_date,
        cast(sum(row_count) as bigint) as rows_checked,
        cast(sum(case when row_disposition = 'staged' then row_count else 0 end) as bigint) as rows_staged,
        cast(sum(case when row_disposition = 'rejected' then row_count else 0 end) as bigint) as rows_rejected,
        cast(sum(case when row_disposition = 'duplicate' then row_count else 0 end) as bigint) as rows_duplicate,
        cast(sum(case when row_disposition = 'deleted' then row_count else 0 end) as bigint) as rows_deleted,
        cast(sum(case when row_disposition = 'merged' then row_count else 0 end) as bigint) as rows_merged
    from dispositions
    group by 1, 2
),

final as (
    select
        {{ dbt.concat(["source_table", "'|'", "cast(load_date as " ~ dbt.type_string() ~ ")"]) }}
            as data_quality_load_id,
        {{ dbt.split_part("replace(source_table, 'raw_', '')", "'.'", 1) }} as source_system,
        source_table,
        load_date,
        rows_checked,
        rows_staged,
        rows_rejected,
        rows_duplicate,
        rows_deleted,
        rows_merged,
        rows_checked - rows_rejected - rows_duplicate as rows_passed,
        cast(
            (rows_checked - rows_rejected - rows_duplicate) * 1.0 / nullif(rows_checked, 0)
            as decimal(9, 6)
        ) as data_quality_score
    from per_load
)

select * from final
