{#- The one list of raw tables that staging reads: source name -> [(raw table, base model, staging model)].
    The rejects models, the row reconciliation and the data-quality marts all loop over it, so a
    table added here is counted everywhere at once. -#}
{% macro staging_tables(source_name=none) -%}
    {%- set tables = {
        'salesforce': [
            ('user', 'base_salesforce__user', 'stg_salesforce__users'),
            ('user_role', 'base_salesforce__user_role', 'stg_salesforce__user_roles'),
            ('account', 'base_salesforce__account', 'stg_salesforce__accounts'),
            ('contact', 'base_salesforce__contact', 'stg_salesforce__contacts'),
            ('lead', 'base_salesforce__lead', 'stg_salesforce__leads'),
            ('lead_history', 'base_salesforce__lead_history', 'stg_salesforce__lead_history'),
            ('opportunity', 'base_salesforce__opportunity', 'stg_salesforce__opportunities'),
            ('opportunity_history', 'base_salesforce__opportunity_history', 'stg_salesforce__opportunity_history'),
            ('opportunity_line_item', 'base_salesforce__opportunity_line_item', 'stg_salesforce__opportunity_line_items'),
            ('product_2', 'base_salesforce__product_2', 'stg_salesforce__products'),
            ('quote', 'base_salesforce__quote', 'stg_salesforce__quotes'),
            ('task', 'base_salesforce__task', 'stg_salesforce__tasks'),
            ('event', 'base_salesforce__event', 'stg_salesforce__events'),
            ('campaign', 'base_salesforce__campaign', 'stg_salesforce__campaigns'),
            ('campaign_member', 'base_salesforce__campaign_member', 'stg_salesforce__campaign_members'),
            ('forecasting_quota', 'base_salesforce__forecasting_quota', 'stg_salesforce__forecasting_quotas'),
        ],
        'stripe': [
            ('customer', 'base_stripe__customer', 'stg_stripe__customers'),
            ('product', 'base_stripe__product', 'stg_stripe__products'),
            ('price', 'base_stripe__price', 'stg_stripe__prices'),
            ('subscription_history', 'base_stripe__subscription_history', 'stg_stripe__subscription_history'),
            ('subscription_item', 'base_stripe__subscription_item', 'stg_stripe__subscription_item_history'),
            ('coupon', 'base_stripe__coupon', 'stg_stripe__coupons'),
            ('discount', 'base_stripe__discount', 'stg_stripe__discounts'),
            ('invoice', 'base_stripe__invoice', 'stg_stripe__invoices'),
            ('invoice_line_item', 'base_stripe__invoice_line_item', 'stg_stripe__invoice_line_items'),
            ('charge', 'base_stripe__charge', 'stg_stripe__charges'),
            ('refund', 'base_stripe__refund', 'stg_stripe__refunds'),
            ('credit_note', 'base_stripe__credit_note', 'stg_stripe__credit_notes'),
        ],
        'hubspot': [
            ('contact', 'base_hubspot__contact', 'stg_hubspot__contacts'),
            ('form_submission', 'base_hubspot__form_submission', 'stg_hubspot__form_submissions'),
            ('email_campaign', 'base_hubspot__email_campaign', 'stg_hubspot__email_campaigns'),
            ('email_event', 'base_hubspot__email_event', 'stg_hubspot__email_events'),
        ],
        'google_ads': [
            ('account', 'base_google_ads__account', 'stg_google_ads__accounts'),
            ('campaign', 'base_google_ads__campaign', 'stg_google_ads__campaigns'),
            ('campaign_stats', 'base_google_ads__campaign_stats', 'stg_google_ads__campaign_stats'),
        ],
        'facebook_ads': [
            ('account', 'base_facebook_ads__account', 'stg_facebook_ads__accounts'),
            ('campaign', 'base_facebook_ads__campaign', 'stg_facebook_ads__campaigns'),
            ('basic_campaign', 'base_facebook_ads__basic_campaign', 'stg_facebook_ads__campaign_stats'),
        ],
        'linkedin_ads': [
            ('account', 'base_linkedin_ads__account', 'stg_linkedin_ads__accounts'),
            ('campaign', 'base_linkedin_ads__campaign', 'stg_linkedin_ads__campaigns'),
            ('ad_analytics_by_campaign', 'base_linkedin_ads__ad_analytics_by_campaign', 'stg_linkedin_ads__campaign_stats'),
        ],
        'web': [
            ('pages', 'base_web__pages', 'stg_web__page_views'),
            ('identifies', 'base_web__identifies', 'stg_web__identifies'),
        ],
    } -%}
    {%- if source_name is none -%}
        {{ return(tables) }}
    {%- else -%}
        {{ return(tables[source_name]) }}
    {%- endif -%}
{%- endmacro %}

{#- The rejects of one source, from the list above. -#}
{% macro source_rejects(source_name) -%}
    {{ union_rejects('raw_' ~ source_name, staging_tables(source_name)) }}
{%- endmacro %}
