-- Raw web tracking rows that could not be staged, with the rule each broke and the whole raw row.
{{ config(materialized='table') }}

{{ union_rejects('raw_web', [
    ('pages', 'base_web__pages'),
    ('identifies', 'base_web__identifies'),
]) }}
