-- How each customer-360 customer was acquired, one row per customer (kpi-definitions section 3,
-- Acquisition channel of a customer: the channel of the lead that first converted into it). The
-- acquisition lead is the member lead that converted first, else its first lead; its channel is
-- the lead's source channel (int_lead_source_channel: the channel of the lead's first touch inside
-- the attribution window - web session, email click or campaign response - else its lead_source
-- mapped through the channel_mapping seed, 'other' when the seed does not list it, else 'direct');
-- 'direct' when the customer has no lead. first_touch_at is the instant of that first touch, or
-- the lead's creation when the channel does not come from a touch.
with identities as {{ not_materialized() }} (
    select * from {{ ref('int_identity_records_resolved') }}
),

leads as (
    select * from {{ ref('stg_salesforce__leads') }}
),

lead_source_channels as (
    select * from {{ ref('int_lead_source_channel') }}
),

lead_first_touches as (
    select
        conversion_id as lead_id,
        touched_at
    from {{ ref('int_attribution_touchpoints') }}
    where
        conversion_type = 'lead'
        and touch_number = 1
),

as_of as (
    select * from {{ ref('int_as_of') }}
),

customers as (
    select distinct customer_id from identities
),

member_leads as (
    select
        identities.customer_id,
        leads.lead_id,
        leads.lead_source,
        leads.created_at,
        leads.is_converted and leads.converted_date < cast(as_of.as_of_at as date) as is_converted_by_as_of,
        leads.converted_date
    from identities
    inner join leads
        on identities.source_table = 'raw_salesforce.lead' and identities.source_id = leads.lead_id
    cross join as_of
    where leads.created_at < as_of.as_of_at
),

ranked_leads as (
    select
        *,
        row_number() over (
            partition by customer_id
            order by
                case when is_converted_by_as_of then 0 else 1 end,
                case when is_converted_by_as_of then converted_date end,
                created_at,
                lead_id
        ) as lead_rank
    from member_leads
),

acquisition_leads as (
    select
        ranked_leads.customer_id,
        ranked_leads.lead_id,
        ranked_leads.lead_source,
        coalesce(lead_first_touches.touched_at, ranked_leads.created_at) as created_at,
        ranked_leads.is_converted_by_as_of,
        lead_source_channels.source_channel as channel
    from ranked_leads
    left join lead_source_channels on ranked_leads.lead_id = lead_source_channels.lead_id
    left join lead_first_touches on ranked_leads.lead_id = lead_first_touches.lead_id
    where ranked_leads.lead_rank = 1
),

final as (
    select
        -- ids
        customers.customer_id,
        acquisition_leads.lead_id as acquisition_lead_id,

        -- strings
        coalesce(acquisition_leads.channel, 'direct') as acquisition_channel,
        acquisition_leads.lead_source as acquisition_lead_source,
        case
            when acquisition_leads.lead_id is null then 'no_lead'
            when acquisition_leads.is_converted_by_as_of then 'first_converted_lead'
            else 'first_lead'
        end as acquisition_basis,

        -- timestamps
        acquisition_leads.created_at as first_touch_at
    from customers
    left join acquisition_leads
        on customers.customer_id = acquisition_leads.customer_id
)

select * from final
