-- Raw Google Ads rows that could not be staged, with the rule each broke and the whole raw row.
{{ config(materialized='table') }}

{{ union_rejects('raw_google_ads', [
    ('account', 'base_google_ads__account'),
    ('campaign', 'base_google_ads__campaign'),
    ('campaign_stats', 'base_google_ads__campaign_stats'),
]) }}
