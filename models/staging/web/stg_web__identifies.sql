with base as (
    select * from {{ ref('base_web__identifies') }}
    where row_disposition = 'staged'
),

final as (
    select
        -- ids
        id as identify_id,
        anonymous_id,
        user_id,

        -- strings
        {{ clean_email('email') }} as email,
        {{ email_domain('email') }} as email_domain,

        -- timestamps
        {{ iso_to_utc(adapter.quote('timestamp')) }} as identified_at,
        _fivetran_synced as loaded_at
    from base
)

select * from final
