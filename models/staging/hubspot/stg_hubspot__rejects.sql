-- Raw HubSpot rows that could not be staged, with the rule each broke and the whole raw row.
{{ config(materialized='table') }}

{{ union_rejects('raw_hubspot', [
    ('contact', 'base_hubspot__contact'),
    ('form_submission', 'base_hubspot__form_submission'),
    ('email_campaign', 'base_hubspot__email_campaign'),
    ('email_event', 'base_hubspot__email_event'),
]) }}
