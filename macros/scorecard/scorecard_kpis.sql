{#- The KPI scorecard's one map from each KPI of seeds/kpi_targets.csv to the home mart column it is
    read from (kpi-definitions section 5). int_kpi_values_collected loops over this list; adding a
    KPI to the scorecard is one entry here plus one row in the seed.

    Each entry is one select from one home mart, with the keys:
      kpi        the seed's kpi_name
      model      the home mart (ref name)
      column     the home column, read row by row (styles long and rollup)
      aggregate  instead of column: an aggregate of summable columns of the home (style aggregate),
                 used only where the home has no total row and its YAML says a total is that ratio
                 of sums (team and company attainment, coverage, accuracy, ...)
      home_column  what the scorecard shows as home_column (defaults to column)
      style      long:      the home is long format already (segment_type, segment_value columns,
                            segment_type 'all' for the total): every row is read as it is
                 rollup:    the home carries 'all' roll-up rows in the dimension columns of
                            `segments`: the total is the row with every dimension at 'all', a
                            segment row has that dimension set and the others at 'all' (medians
                            are never re-aggregated)
                 aggregate: the home has no total rows: `aggregate` is grouped by month for the
                            total and by month and the dimension for each segment
      segments   {segment_type: home column} - the KPI contract's segment dimensions the home
                 carries, named the scorecard's way (a sales mart's source_channel is the
                 acquisition_channel)
      where      a filter on the home's rows (a funnel stage, an attribution model)
      month      the home's month column (default month)
      total      false when the entry gives only segment rows because another entry (the home of
                 the total, which carries it as a column) gives the 'all' row
    KPIs of the seed that are not monthly are left out here: crm_adoption_rate is weekly
    (fct_crm_adoption_weekly) and has no monthly value to show. -#}
{% macro scorecard_kpis() -%}
    {%- set paid_channels = var('ad_platforms').values() | map(attribute='channel') | unique | list -%}
    {%- set paid_channel_filter = 'channel in (' ~ quoted_list(paid_channels) ~ ')' -%}
    {%- set attribution_filter = "attribution_model = '" ~ var('default_attribution_model', 'linear') ~ "'" -%}
    {%- set deal_segments = {'opportunity_type': 'opportunity_type', 'sales_channel': 'sales_channel'} -%}
    {%- set closed_segments = {
        'opportunity_type': 'opportunity_type',
        'sales_channel': 'sales_channel',
        'acquisition_channel': 'source_channel',
    } -%}
    {%- set lead_segments = {'acquisition_channel': 'source_channel'} -%}
    {%- set channel_segments = {'acquisition_channel': 'channel'} -%}
    {%- set revenue = 'fct_revenue_monthly' -%}
    {%- set kpis = [
        {'kpi': 'mrr', 'model': revenue, 'style': 'long', 'column': 'mrr'},
        {'kpi': 'arr', 'model': revenue, 'style': 'long', 'column': 'arr'},
        {'kpi': 'new_mrr', 'model': revenue, 'style': 'long', 'column': 'new_mrr'},
        {'kpi': 'expansion_mrr', 'model': revenue, 'style': 'long', 'column': 'expansion_mrr'},
        {'kpi': 'contraction_mrr', 'model': revenue, 'style': 'long', 'column': 'contraction_mrr'},
        {'kpi': 'churned_mrr', 'model': revenue, 'style': 'long', 'column': 'churn_mrr'},
        {'kpi': 'reactivation_mrr', 'model': revenue, 'style': 'long', 'column': 'reactivation_mrr'},
        {'kpi': 'net_new_mrr', 'model': revenue, 'style': 'long', 'column': 'net_new_mrr'},
        {'kpi': 'arpa', 'model': revenue, 'style': 'long', 'column': 'arpa'},
        {'kpi': 'arpu', 'model': revenue, 'style': 'long', 'column': 'arpu'},
        {'kpi': 'logo_churn_rate', 'model': revenue, 'style': 'long', 'column': 'logo_churn_rate'},
        {'kpi': 'gross_mrr_churn_rate', 'model': revenue, 'style': 'long', 'column': 'gross_mrr_churn_rate'},
        {'kpi': 'upsell_rate', 'model': revenue, 'style': 'long', 'column': 'upsell_rate'},
        {'kpi': 'upsell_rate_t12m', 'model': revenue, 'style': 'long', 'column': 'upsell_rate_t12m'},
        {'kpi': 'nrr_t12m', 'model': revenue, 'style': 'long', 'column': 'nrr_t12m'},
        {'kpi': 'grr_t12m', 'model': revenue, 'style': 'long', 'column': 'grr_t12m'},
        {'kpi': 'renewal_rate', 'model': revenue, 'style': 'long', 'column': 'renewal_rate'},
        {'kpi': 'renewal_rate_mrr', 'model': revenue, 'style': 'long', 'column': 'renewal_rate_mrr'},
        {'kpi': 'ltv', 'model': revenue, 'style': 'long', 'column': 'ltv'},

        {'kpi': 'bookings', 'model': 'fct_bookings_monthly', 'style': 'aggregate', 'segments': deal_segments,
         'aggregate': 'sum(bookings_reporting)', 'home_column': 'bookings_reporting'},
        {'kpi': 'in_period_bookings', 'model': 'fct_bookings_monthly', 'style': 'aggregate',
         'segments': deal_segments, 'aggregate': 'sum(in_period_bookings_reporting)',
         'home_column': 'in_period_bookings_reporting'},
        {'kpi': 'annual_bookings', 'model': 'fct_bookings_monthly', 'style': 'aggregate',
         'segments': deal_segments, 'aggregate': 'sum(annual_bookings_reporting)',
         'home_column': 'annual_bookings_reporting'},
        {'kpi': 'average_deal_size', 'model': 'fct_bookings_monthly', 'style': 'aggregate',
         'segments': deal_segments,
         'aggregate': scorecard_money_ratio('sum(bookings_reporting)', 'sum(won_deals)'),
         'home_column': 'average_deal_size_reporting = sum(bookings_reporting) / sum(won_deals)'},
        {'kpi': 'acv_average', 'model': 'fct_bookings_monthly', 'style': 'aggregate',
         'segments': deal_segments,
         'aggregate': scorecard_money_ratio('sum(acv_total_reporting)', 'sum(won_deals_with_acv)'),
         'home_column': 'average_acv_reporting = sum(acv_total_reporting) / sum(won_deals_with_acv)'},

        {'kpi': 'billings', 'model': 'fct_cash_monthly', 'style': 'rollup', 'column': 'billings_reporting'},
        {'kpi': 'collections', 'model': 'fct_cash_monthly', 'style': 'rollup', 'column': 'collections_reporting'},
        {'kpi': 'accounts_receivable', 'model': 'fct_cash_monthly', 'style': 'rollup',
         'column': 'accounts_receivable_reporting'},
        {'kpi': 'dso_days', 'model': 'fct_cash_monthly', 'style': 'rollup', 'column': 'dso_days'},

        {'kpi': 'lead_to_mql_rate', 'model': 'fct_funnel_conversion_monthly', 'style': 'rollup',
         'month': 'cohort_month', 'segments': lead_segments, 'where': "stage_name = 'lead'",
         'column': 'stage_conversion_rate'},
        {'kpi': 'mql_to_sql_rate', 'model': 'fct_funnel_conversion_monthly', 'style': 'rollup',
         'month': 'cohort_month', 'segments': lead_segments, 'where': "stage_name = 'mql'",
         'column': 'stage_conversion_rate'},
        {'kpi': 'sql_to_opportunity_rate', 'model': 'fct_funnel_conversion_monthly', 'style': 'rollup',
         'month': 'cohort_month', 'segments': lead_segments, 'where': "stage_name = 'sql'",
         'column': 'stage_conversion_rate'},
        {'kpi': 'funnel_conversion_rate', 'model': 'fct_funnel_conversion_monthly', 'style': 'rollup',
         'month': 'cohort_month', 'segments': lead_segments, 'where': "stage_name = 'closed_won'",
         'column': 'lead_cohort_conversion_rate'},

        {'kpi': 'win_rate_count', 'model': 'fct_closed_opportunities_monthly', 'style': 'rollup',
         'segments': closed_segments, 'column': 'win_rate_count'},
        {'kpi': 'win_rate_amount', 'model': 'fct_closed_opportunities_monthly', 'style': 'rollup',
         'segments': closed_segments, 'column': 'win_rate_amount'},
        {'kpi': 'sales_cycle_days_median', 'model': 'fct_closed_opportunities_monthly', 'style': 'rollup',
         'segments': closed_segments, 'column': 'median_sales_cycle_days'},
        {'kpi': 'sales_cycle_days_mean', 'model': 'fct_closed_opportunities_monthly', 'style': 'rollup',
         'segments': closed_segments, 'column': 'mean_sales_cycle_days'},
        {'kpi': 'lead_to_close_days_median', 'model': 'fct_closed_opportunities_monthly', 'style': 'rollup',
         'segments': closed_segments, 'column': 'median_lead_to_close_days'},

        {'kpi': 'pipeline_velocity', 'model': 'fct_pipeline_velocity_monthly', 'style': 'rollup',
         'segments': deal_segments, 'column': 'pipeline_velocity'},
        {'kpi': 'pipeline_coverage', 'model': 'fct_pipeline_coverage_monthly', 'style': 'aggregate',
         'aggregate': decimal_ratio('sum(pipeline_amount)', 'sum(quota_amount)'),
         'home_column': 'sum(pipeline_amount) / sum(quota_amount)'},
        {'kpi': 'speed_to_lead_median_hours', 'model': 'fct_speed_to_lead_monthly', 'style': 'rollup',
         'segments': lead_segments, 'column': 'median_speed_to_lead_hours'},
        {'kpi': 'speed_to_lead_mean_hours', 'model': 'fct_speed_to_lead_monthly', 'style': 'rollup',
         'segments': lead_segments, 'column': 'mean_speed_to_lead_hours'},
        {'kpi': 'speed_to_lead_within_1h_share', 'model': 'fct_speed_to_lead_monthly', 'style': 'rollup',
         'segments': lead_segments, 'column': 'answered_within_1h_share'},
        {'kpi': 'contact_success_per_1000_calls', 'model': 'fct_contact_success_monthly', 'style': 'aggregate',
         'aggregate': decimal_ratio('1000 * sum(conversion_count)', 'sum(outbound_call_count)'),
         'home_column': 'sum(conversion_count) x 1000 / sum(outbound_call_count)'},
        {'kpi': 'quote_to_order_rate', 'model': 'fct_quotes_monthly', 'style': 'aggregate',
         'segments': deal_segments,
         'aggregate': decimal_ratio('sum(accepted_quote_count)', 'sum(presented_quote_count)'),
         'home_column': 'sum(accepted_quote_count) / sum(presented_quote_count)'},
        {'kpi': 'forecast_accuracy', 'model': 'fct_forecast_accuracy_monthly', 'style': 'aggregate',
         'aggregate': '1 - ' ~ decimal_ratio(
             'abs(sum(commit_forecast_amount) - sum(bookings_amount))', 'sum(bookings_amount)'
         ),
         'home_column': '1 - abs(sum(commit_forecast_amount) - sum(bookings_amount)) / sum(bookings_amount)'},
        {'kpi': 'forecast_accuracy_weighted', 'model': 'fct_forecast_accuracy_monthly', 'style': 'aggregate',
         'aggregate': '1 - ' ~ decimal_ratio(
             'abs(sum(weighted_forecast_amount) - sum(bookings_amount))', 'sum(bookings_amount)'
         ),
         'home_column': '1 - abs(sum(weighted_forecast_amount) - sum(bookings_amount)) / sum(bookings_amount)'},
        {'kpi': 'quota_attainment', 'model': 'fct_quota_attainment_monthly', 'style': 'aggregate',
         'aggregate': decimal_ratio('sum(bookings_amount)', 'sum(quota_amount)'),
         'home_column': 'sum(bookings_amount) / sum(quota_amount)'},
        {'kpi': 'order_to_cash_automation_rate', 'model': 'fct_order_to_cash_monthly', 'style': 'rollup',
         'segments': {'sales_channel': 'sales_channel'}, 'column': 'order_to_cash_automation_rate'},
        {'kpi': 'close_to_first_invoice_days_median', 'model': 'fct_order_to_cash_monthly', 'style': 'rollup',
         'segments': {'sales_channel': 'sales_channel'}, 'column': 'median_close_to_first_invoice_days'},
        {'kpi': 'close_to_first_payment_days_median', 'model': 'fct_order_to_cash_monthly', 'style': 'rollup',
         'segments': {'sales_channel': 'sales_channel'}, 'column': 'median_close_to_first_payment_days'},

        {'kpi': 'ad_spend', 'model': 'fct_marketing_monthly', 'style': 'rollup', 'column': 'ad_spend'},
        {'kpi': 'ad_spend', 'model': 'fct_ad_spend_daily', 'style': 'aggregate', 'total': false,
         'segments': channel_segments, 'aggregate': 'sum(spend)', 'home_column': 'spend'},
        {'kpi': 'ad_ctr', 'model': 'fct_marketing_monthly', 'style': 'rollup', 'column': 'click_through_rate'},
        {'kpi': 'ad_ctr', 'model': 'fct_ad_spend_daily', 'style': 'aggregate', 'total': false,
         'segments': channel_segments, 'aggregate': decimal_ratio('sum(clicks)', 'sum(impressions)'),
         'home_column': 'sum(clicks) / sum(impressions)'},
        {'kpi': 'ad_frequency', 'model': 'fct_ad_spend_daily', 'style': 'aggregate', 'where': 'reach is not null',
         'segments': channel_segments, 'aggregate': decimal_ratio('sum(impressions)', 'sum(reach)'),
         'home_column': 'sum(impressions) / sum(reach) where reach is given'},
        {'kpi': 'email_open_rate', 'model': 'fct_marketing_monthly', 'style': 'rollup', 'column': 'email_open_rate'},
        {'kpi': 'email_click_rate', 'model': 'fct_marketing_monthly', 'style': 'rollup',
         'column': 'email_click_rate'},
        {'kpi': 'session_to_lead_rate', 'model': 'fct_marketing_monthly', 'style': 'rollup',
         'column': 'conversion_rate'},
        {'kpi': 'session_to_lead_rate', 'model': 'fct_marketing_campaigns_monthly', 'style': 'aggregate',
         'total': false, 'segments': channel_segments, 'aggregate': decimal_ratio('sum(leads)', 'sum(sessions)'),
         'home_column': 'sum(leads) / sum(sessions)'},
        {'kpi': 'cost_per_lead', 'model': 'fct_marketing_monthly', 'style': 'rollup', 'column': 'cost_per_lead'},
        {'kpi': 'cost_per_lead', 'model': 'fct_marketing_attribution_monthly', 'style': 'aggregate',
         'total': false, 'where': attribution_filter, 'segments': channel_segments,
         'aggregate': scorecard_money_ratio('sum(spend)', 'sum(leads_attributed)'),
         'home_column': 'sum(spend) / sum(leads_attributed)'},
        {'kpi': 'roas', 'model': 'fct_marketing_attribution_monthly', 'style': 'aggregate',
         'where': attribution_filter ~ ' and ' ~ paid_channel_filter, 'segments': channel_segments,
         'aggregate': decimal_ratio('sum(bookings_attributed)', 'sum(spend)'),
         'home_column': 'sum(bookings_attributed) / sum(spend) of the paid channels'},
        {'kpi': 'cac_blended', 'model': 'fct_marketing_monthly', 'style': 'rollup', 'column': 'cac_blended'},
        {'kpi': 'cac_paid', 'model': 'fct_marketing_channels_monthly', 'style': 'aggregate',
         'where': 'is_paid_channel', 'segments': channel_segments,
         'aggregate': scorecard_money_ratio('sum(spend)', 'sum(new_customers)'),
         'home_column': 'sum(spend) / sum(new_customers) of the paid channels'},
        {'kpi': 'cac_payback_months', 'model': 'fct_marketing_monthly', 'style': 'rollup',
         'column': 'cac_payback_months'},
        {'kpi': 'ltv_to_cac', 'model': 'fct_marketing_monthly', 'style': 'rollup', 'column': 'ltv_to_cac'},
    ] -%}
    {%- do return(kpis) -%}
{%- endmacro %}


{#- A money ratio rounded to the cent, as the home marts round theirs (average deal size, CAC). -#}
{% macro scorecard_money_ratio(numerator, denominator) -%}
    cast(round({{ decimal_ratio(numerator, denominator) }}, 2) as decimal(18, 2))
{%- endmacro %}


{#- One select of (kpi_name, month, segment_type, segment_value, value, home_model, home_column)
    rows from one entry of scorecard_kpis(); see there for the styles. The value is cast to the
    scorecard's decimal(28, 6). -#}
{% macro scorecard_kpi_select(entry) -%}
    {%- set style = entry.get('style', 'rollup') -%}
    {%- set month_column = entry.get('month', 'month') -%}
    {%- set segments = entry.get('segments', {}) -%}
    {%- set home_column = entry.get('home_column', entry.get('column')) -%}
    {%- set where = entry.get('where') -%}
    {%- set constants -%}
        cast('{{ entry.kpi }}' as {{ dbt.type_string() }}) as kpi_name,
    {%- endset -%}
    {%- set provenance -%}
        cast('{{ entry.model }}' as {{ dbt.type_string() }}) as home_model,
        cast('{{ home_column | replace("'", "''") }}' as {{ dbt.type_string() }}) as home_column
    {%- endset -%}
    {%- if style == 'long' %}
    select
        {{ constants }}
        {{ month_column }} as month,
        segment_type,
        segment_value,
        cast({{ entry.column }} as decimal(28, 6)) as value,
        {{ provenance }}
    from {{ ref(entry.model) }}
    {%- if where %}
    where {{ where }}
    {%- endif %}
    {%- elif style == 'rollup' %}
    select
        {{ constants }}
        {{ month_column }} as month,
        {%- if segments %}
        case
            {%- for segment_type, column in segments.items() %}
            when {{ column }} <> 'all' then '{{ segment_type }}'
            {%- endfor %}
            else 'all'
        end as segment_type,
        case
            {%- for segment_type, column in segments.items() %}
            when {{ column }} <> 'all' then {{ column }}
            {%- endfor %}
            else 'all'
        end as segment_value,
        {%- else %}
        'all' as segment_type,
        'all' as segment_value,
        {%- endif %}
        cast({{ entry.column }} as decimal(28, 6)) as value,
        {{ provenance }}
    from {{ ref(entry.model) }}
    {%- if where or segments %}
    where
        {%- if where %}
        ({{ where }})
        {%- endif %}
        {%- if where and segments %}
        and
        {%- endif %}
        {%- if segments %}
        (
            {%- for column in segments.values() %}
            case when {{ column }} <> 'all' then 1 else 0 end{{ ' +' if not loop.last }}
            {%- endfor %}
        ) <= 1
        {%- endif %}
    {%- endif %}
    {%- elif style == 'aggregate' %}
    {%- set groupings = ([('all', none)] if entry.get('total', true) else []) + (segments.items() | list) %}
    {%- for segment_type, column in groupings %}
    select
        {{ constants }}
        {{ month_column }} as month,
        '{{ segment_type }}' as segment_type,
        {{ "coalesce(cast(" ~ column ~ " as " ~ dbt.type_string() ~ "), 'unknown')" if column else "'all'" }}
            as segment_value,
        cast({{ entry.aggregate }} as decimal(28, 6)) as value,
        {{ provenance }}
    from {{ ref(entry.model) }}
    {%- if where %}
    where {{ where }}
    {%- endif %}
    group by {{ month_column }}{{ ', ' ~ column if column }}
    {%- if not loop.last %}
    union all
    {%- endif %}
    {%- endfor %}
    {%- else %}
    {{ exceptions.raise_compiler_error("scorecard_kpis: unknown style '" ~ style ~ "' of " ~ entry.kpi) }}
    {%- endif %}
{%- endmacro %}
