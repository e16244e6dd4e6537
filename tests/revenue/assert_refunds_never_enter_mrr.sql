-- Refunds are not MRR (kpi-definitions section 1): no model that computes MRR, its movements or
-- the recurring-revenue marts reads refunds, charges or credit notes, directly or through its
-- parents. Checked on the project's graph, so a future join that lets cash into MRR fails here.
-- The walk stops at the customer dimensions (dim_customers, dim_customer_identities): they give
-- MRR its customer key and segments, never an amount (dim_customers reads charges for its
-- first-paid date and the churn-risk signals).
-- (The per-customer recomputation from raw Stripe tables in tools/tests/test_revenue.py checks
-- the same on data: a refunded customer's MRR is that of its subscriptions.) Returns one row per
-- offending model and parent.
{%- set mrr_models = [
    'int_subscriptions_monthly', 'int_subscription_items_monthly', 'int_subscription_mrr_monthly',
    'int_stripe_customer_mrr_monthly', 'int_customer_mrr_monthly', 'int_customer_mrr_movements',
    'fct_mrr', 'fct_mrr_movements', 'fct_revenue_monthly', 'fct_cohort_retention',
] %}
{%- set cash_models = ['stg_stripe__refunds', 'stg_stripe__charges', 'stg_stripe__credit_notes'] %}
{%- set lookups = ['dim_customers', 'dim_customer_identities'] %}
{%- set offending = [] %}
{%- if execute %}
    {%- set nodes_by_name = {} %}
    {%- for node in graph.nodes.values() if node.resource_type == 'model' and node.package_name == project_name %}
        {%- do nodes_by_name.update({node.name: node}) %}
    {%- endfor %}
    {%- for model_name in mrr_models %}
        {%- set seen = [] %}
        {%- set queue = [nodes_by_name[model_name].unique_id] %}
        {%- for _ in range(1000) if queue | length > 0 %}
            {%- set unique_id = queue.pop(0) %}
            {%- if unique_id not in seen and unique_id in graph.nodes %}
                {%- do seen.append(unique_id) %}
                {%- if graph.nodes[unique_id].name in cash_models %}
                    {%- do offending.append((model_name, graph.nodes[unique_id].name)) %}
                {%- endif %}
                {%- if graph.nodes[unique_id].name not in lookups %}
                    {%- for parent in graph.nodes[unique_id].depends_on.nodes %}
                        {%- do queue.append(parent) %}
                    {%- endfor %}
                {%- endif %}
            {%- endif %}
        {%- endfor %}
    {%- endfor %}
{%- endif %}

{%- if offending | length > 0 %}
    {%- for model_name, parent_name in offending %}
select
    '{{ model_name }}' as model_name,
    '{{ parent_name }}' as cash_parent
        {%- if not loop.last %}
union all
        {%- endif %}
    {%- endfor %}
{%- else %}
    select
        cast(null as {{ dbt.type_string() }}) as model_name,
        cast(null as {{ dbt.type_string() }}) as cash_parent
    where 1 = 0
{%- endif %}
