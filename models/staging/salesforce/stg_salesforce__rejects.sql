-- Raw Salesforce rows that could not be staged, with the rule each broke and the whole raw row.
{{ config(materialized='table') }}

{{ union_rejects('raw_salesforce', [
    ('user', 'base_salesforce__user'),
    ('user_role', 'base_salesforce__user_role'),
    ('account', 'base_salesforce__account'),
    ('contact', 'base_salesforce__contact'),
    ('lead', 'base_salesforce__lead'),
    ('lead_history', 'base_salesforce__lead_history'),
    ('opportunity', 'base_salesforce__opportunity'),
    ('opportunity_history', 'base_salesforce__opportunity_history'),
    ('opportunity_line_item', 'base_salesforce__opportunity_line_item'),
    ('product_2', 'base_salesforce__product_2'),
    ('quote', 'base_salesforce__quote'),
    ('task', 'base_salesforce__task'),
    ('event', 'base_salesforce__event'),
    ('campaign', 'base_salesforce__campaign'),
    ('campaign_member', 'base_salesforce__campaign_member'),
    ('forecasting_quota', 'base_salesforce__forecasting_quota'),
]) }}
