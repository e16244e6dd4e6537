-- Marketing touches of known people, one row per touch (kpi-definitions section 4, Attribution):
--   * web_session: a web session whose person is known (int_web_sessions.person_email); its
--     channel, platform and utm_campaign as the session has them; touched at the session start;
--   * email_click: a HubSpot CLICK event of a marketing email, by recipient email; channel
--     'email', campaign = the utm_campaign of the clicked link (as the web session it opens
--     carries it), else the HubSpot email campaign id; touched at the click;
--   * campaign_response: a Salesforce campaign membership that responded; channel from the
--     campaign type through the channel seed's lead_source rows (Salesforce uses one vocabulary:
--     'Paid Search', 'Webinar', 'Trade Show', ...; no match gives 'other'); campaign = the
--     Salesforce campaign id, except for a paid campaign named after an ad campaign by the CRM's
--     convention '<Platform> - <ad campaign name>' ('Google - Brand Search - US'), which takes
--     that ad campaign's platform, key and campaign (utm_campaign, else name, as ad spend names
--     it); touched on first_responded_date (created date when missing), a date: is_date_only is
--     true and touched_at is that day's midnight UTC.
-- person_key is the person's email ('email:<address>') when known, else the Salesforce lead or
-- contact id ('lead:<id>', 'contact:<id>'); lead_id and contact_id are kept for matching too.
with sessions as (
    select * from {{ ref('int_web_sessions') }}
),

-- every staged email event (the incremental model holds them; staging would re-run its
-- de-duplication window over every raw row)
email_events as (
    select * from {{ ref('int_email_events_assigned') }}
),

hubspot_contacts as (
    select * from {{ ref('stg_hubspot__contacts') }}
),

campaign_members as (
    select * from {{ ref('stg_salesforce__campaign_members') }}
),

campaigns as (
    select * from {{ ref('stg_salesforce__campaigns') }}
),

leads as (
    select * from {{ ref('stg_salesforce__leads') }}
),

contacts as (
    select * from {{ ref('stg_salesforce__contacts') }}
),

channel_mapping as (
    select * from {{ ref('channel_mapping') }}
),

ad_campaigns as (
    select * from {{ ref('int_ad_campaigns_unioned') }}
),

customer_identities as {{ not_materialized() }} (
    select * from {{ ref('dim_customer_identities') }}
),

session_touches as (
    select
        {{ dbt.concat(["'web_session:'", "session_id"]) }} as touch_id,
        'web_session' as touch_type,
        session_id as source_record_id,
        person_email,
        cast(null as {{ dbt.type_string() }}) as lead_id,
        cast(null as {{ dbt.type_string() }}) as contact_id,
        customer_id,
        channel,
        is_paid,
        platform,
        utm_campaign as campaign,
        ad_campaign_key,
        started_at as touched_at,
        false as is_date_only
    from sessions
    where person_email is not null
),

-- the HubSpot contact of an email address (the lowest id when several share it), for its customer
contacts_by_email as (
    select
        email,
        min(contact_id) as hubspot_contact_id
    from hubspot_contacts
    where email is not null
    group by email
),

email_click_touches as (
    select
        {{ dbt.concat(["'email_click:'", "email_events.email_event_id"]) }} as touch_id,
        'email_click' as touch_type,
        email_events.email_event_id as source_record_id,
        email_events.recipient_email as person_email,
        cast(null as {{ dbt.type_string() }}) as lead_id,
        cast(null as {{ dbt.type_string() }}) as contact_id,
        customer_identities.customer_id,
        'email' as channel,
        false as is_paid,
        cast(null as {{ dbt.type_string() }}) as platform,
        coalesce(
            {{ url_query_parameter('email_events.clicked_url', 'utm_campaign') }},
            email_events.email_campaign_id
        ) as campaign,
        cast(null as {{ dbt.type_string() }}) as ad_campaign_key,
        email_events.occurred_at as touched_at,
        false as is_date_only
    from email_events
    left join contacts_by_email on email_events.recipient_email = contacts_by_email.email
    left join customer_identities
        on
            customer_identities.source_table = 'raw_hubspot.contact'
            and contacts_by_email.hubspot_contact_id = customer_identities.source_id
    where
        email_events.event_type = 'CLICK'
        and email_events.recipient_email is not null
),

campaign_type_channels as (
    select
        source_value,
        channel,
        is_paid
    from channel_mapping
    where match_type = 'lead_source'
),

-- the ad campaign a paid Salesforce campaign stands for, by the CRM's naming convention
-- '<Platform> - <ad campaign name without its ' | utm' suffix>' ('Google - Brand Search - US');
-- a name that two ad campaigns would share matches neither
ad_campaign_names as (
    select
        ad_campaign_key,
        platform,
        coalesce(utm_campaign, campaign_name) as campaign,
        lower(
            {{ dbt.concat(["platform", "' - '", "trim(" ~ dbt.split_part('campaign_name', "' | '", 1) ~ ")"]) }}
        ) as salesforce_campaign_name
    from ad_campaigns
),

paid_campaigns as (
    select
        salesforce_campaign_name,
        min(ad_campaign_key) as ad_campaign_key,
        min(platform) as platform,
        min(campaign) as campaign
    from ad_campaign_names
    group by salesforce_campaign_name
    having count(*) = 1
),

campaign_response_touches as (
    select
        {{ dbt.concat(["'campaign_response:'", "campaign_members.campaign_member_id"]) }} as touch_id,
        'campaign_response' as touch_type,
        campaign_members.campaign_member_id as source_record_id,
        coalesce(leads.email, contacts.email) as person_email,
        campaign_members.lead_id,
        campaign_members.contact_id,
        coalesce(lead_identities.customer_id, contact_identities.customer_id) as customer_id,
        coalesce(campaign_type_channels.channel, 'other') as channel,
        coalesce(campaign_type_channels.is_paid, false) as is_paid,
        case when coalesce(campaign_type_channels.is_paid, false) then paid_campaigns.platform end as platform,
        case
            when coalesce(campaign_type_channels.is_paid, false) and paid_campaigns.ad_campaign_key is not null
                then paid_campaigns.campaign
            else campaign_members.campaign_id
        end as campaign,
        case when coalesce(campaign_type_channels.is_paid, false) then paid_campaigns.ad_campaign_key end
            as ad_campaign_key,
        cast(
            coalesce(
                campaign_members.first_responded_date,
                cast(campaign_members.created_at as date)
            ) as timestamp
        ) as touched_at,
        true as is_date_only
    from campaign_members
    left join campaigns on campaign_members.campaign_id = campaigns.campaign_id
    left join campaign_type_channels on lower(trim(campaigns.campaign_type)) = campaign_type_channels.source_value
    left join paid_campaigns on lower(campaigns.campaign_name) = paid_campaigns.salesforce_campaign_name
    left join leads on campaign_members.lead_id = leads.lead_id
    left join contacts on campaign_members.contact_id = contacts.contact_id
    left join customer_identities as lead_identities
        on
            lead_identities.source_table = 'raw_salesforce.lead'
            and campaign_members.lead_id = lead_identities.source_id
    left join customer_identities as contact_identities
        on
            contact_identities.source_table = 'raw_salesforce.contact'
            and campaign_members.contact_id = contact_identities.source_id
    where
        campaign_members.has_responded
        and (campaign_members.lead_id is not null or campaign_members.contact_id is not null)
),

unioned as (
    select * from session_touches
    union all
    select * from email_click_touches
    union all
    select * from campaign_response_touches
),

final as (
    select
        touch_id,
        touch_type,
        source_record_id,
        case
            when person_email is not null then {{ dbt.concat(["'email:'", "person_email"]) }}
            when lead_id is not null then {{ dbt.concat(["'lead:'", "lead_id"]) }}
            else {{ dbt.concat(["'contact:'", "contact_id"]) }}
        end as person_key,
        person_email,
        lead_id,
        contact_id,
        customer_id,
        channel,
        is_paid,
        platform,
        campaign,
        ad_campaign_key,
        touched_at,
        cast(touched_at as date) as touched_date,
        is_date_only
    from unioned
)

select * from final
