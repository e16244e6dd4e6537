with base as (
    select * from {{ ref('base_hubspot__contact') }}
    where row_disposition = 'staged'
),

final as (
    select
        -- ids
        id as contact_id,
        nullif(replace(property_hs_merged_object_ids, ' ', ''), '') as merged_contact_ids,

        -- strings
        {{ clean_email('property_email') }} as email,
        {{ email_domain('property_email') }} as email_domain,
        {{ clean_text('property_firstname') }} as first_name,
        {{ clean_text('property_lastname') }} as last_name,
        {{ clean_text('property_company') }} as company_name,
        {{ clean_domain('property_website') }} as website_domain,
        {{ clean_enum('property_lifecyclestage') }} as lifecycle_stage,
        upper({{ clean_text('property_hs_lead_status') }}) as lead_status,
        upper({{ clean_text('property_hs_analytics_source') }}) as analytics_source,

        -- numerics
        property_hubspotscore as hubspot_score,

        -- timestamps
        {{ epoch_ms_to_utc('property_createdate') }} as created_at,
        _fivetran_synced as loaded_at
    from base
)

select * from final
