-- Raw Stripe rows that could not be staged, with the rule each broke and the whole raw row.
{{ config(materialized='table') }}

{{ union_rejects('raw_stripe', [
    ('customer', 'base_stripe__customer'),
]) }}
