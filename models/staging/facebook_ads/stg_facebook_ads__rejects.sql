-- Raw Facebook Ads rows that could not be staged, with the rule each broke and the whole raw row.
{{ config(materialized='table') }}

{{ union_rejects('raw_facebook_ads', [
    ('account', 'base_facebook_ads__account'),
    ('campaign', 'base_facebook_ads__campaign'),
    ('basic_campaign', 'base_facebook_ads__basic_campaign'),
]) }}
