-- Raw LinkedIn Ads rows that could not be staged, with the rule each broke and the whole raw row.
{{ config(materialized='table') }}

{{ union_rejects('raw_linkedin_ads', [
    ('account', 'base_linkedin_ads__account'),
    ('campaign', 'base_linkedin_ads__campaign'),
    ('ad_analytics_by_campaign', 'base_linkedin_ads__ad_analytics_by_campaign'),
]) }}
