-- The campaigns of every ad platform whose spend is loaded (Google, Facebook, LinkedIn), one row
-- per platform and campaign, with the account's currency and time zone, the UTM campaign their
-- links carry (parsed from the campaign name in staging) and the acquisition channel of their
-- spend (var ad_platforms). Platform campaign ids are unique only within their platform.
{%- set platforms = var('ad_platforms') %}

with google_campaigns as (
    select * from {{ ref('stg_google_ads__campaigns') }}
),

google_accounts as (
    select * from {{ ref('stg_google_ads__accounts') }}
),

facebook_campaigns as (
    select * from {{ ref('stg_facebook_ads__campaigns') }}
),

facebook_accounts as (
    select * from {{ ref('stg_facebook_ads__accounts') }}
),

linkedin_campaigns as (
    select * from {{ ref('stg_linkedin_ads__campaigns') }}
),

linkedin_accounts as (
    select * from {{ ref('stg_linkedin_ads__accounts') }}
),

unioned as (
    select
        'google' as platform,
        google_campaigns.campaign_id,
        google_campaigns.account_id,
        google_accounts.account_name,
        google_campaigns.campaign_name,
        google_campaigns.utm_campaign,
        google_campaigns.campaign_status,
        google_accounts.currency_code,
        google_accounts.time_zone
    from google_campaigns
    left join google_accounts on google_campaigns.account_id = google_accounts.account_id

    union all

    select
        'facebook' as platform,
        facebook_campaigns.campaign_id,
        facebook_campaigns.account_id,
        facebook_accounts.account_name,
        facebook_campaigns.campaign_name,
        facebook_campaigns.utm_campaign,
        facebook_campaigns.campaign_status,
        facebook_accounts.currency_code,
        facebook_accounts.time_zone
    from facebook_campaigns
    left join facebook_accounts on facebook_campaigns.account_id = facebook_accounts.account_id

    union all

    select
        'linkedin' as platform,
        linkedin_campaigns.campaign_id,
        linkedin_campaigns.account_id,
        linkedin_accounts.account_name,
        linkedin_campaigns.campaign_name,
        linkedin_campaigns.utm_campaign,
        linkedin_campaigns.campaign_status,
        linkedin_accounts.currency_code,
        linkedin_accounts.time_zone
    from linkedin_campaigns
    left join linkedin_accounts on linkedin_campaigns.account_id = linkedin_accounts.account_id
),

final as (
    select
        {{ dbt.concat(["platform", "':'", "campaign_id"]) }} as ad_campaign_key,
        platform,
        campaign_id,
        account_id,
        account_name,
        campaign_name,
        utm_campaign,
        campaign_status,
        currency_code,
        time_zone,
        case platform
            {%- for platform, settings in platforms.items() %}
                when '{{ platform }}' then '{{ settings["channel"] }}'
            {%- endfor %}
        end as channel
    from unioned
)

select * from final
