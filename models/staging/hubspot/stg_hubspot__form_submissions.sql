with base as (
    select * from {{ ref('base_hubspot__form_submission') }}
    where row_disposition = 'staged'
),

final as (
    select
        -- ids
        conversion_id as form_submission_id,
        contact_id,
        lower(trim(form_id)) as form_id,

        -- strings
        nullif(trim(page_url), '') as page_url,

        -- timestamps
        {{ epoch_ms_to_utc(adapter.quote('timestamp')) }} as submitted_at,
        _fivetran_synced as loaded_at
    from base
)

select * from final
