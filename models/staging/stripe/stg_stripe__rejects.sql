-- Raw Stripe rows that could not be staged, with the rule each broke and the whole raw row.
{{ config(materialized='table') }}

{{ union_rejects('raw_stripe', [
    ('customer', 'base_stripe__customer'),
    ('product', 'base_stripe__product'),
    ('price', 'base_stripe__price'),
    ('subscription_history', 'base_stripe__subscription_history'),
    ('subscription_item', 'base_stripe__subscription_item'),
    ('coupon', 'base_stripe__coupon'),
    ('discount', 'base_stripe__discount'),
    ('invoice', 'base_stripe__invoice'),
    ('invoice_line_item', 'base_stripe__invoice_line_item'),
    ('charge', 'base_stripe__charge'),
    ('refund', 'base_stripe__refund'),
    ('credit_note', 'base_stripe__credit_note'),
]) }}
