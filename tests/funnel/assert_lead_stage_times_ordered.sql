-- Every lead's stage times never decrease down the funnel, and a later stage implies the earlier
-- ones: created <= MQL <= SQL, SQL's date <= opportunity date <= closed-won date.
with lead_funnel as (
    select * from {{ ref('fct_lead_funnel') }}
)

select
    lead_id,
    lead_created_at,
    mql_at,
    sql_at,
    opportunity_date,
    won_date
from lead_funnel
where
    mql_at < lead_created_at
    or sql_at < mql_at
    or cast(sql_at as date) > opportunity_date
    or opportunity_date > won_date
    or (is_won and not has_opportunity)
    or (has_opportunity and not is_sql)
    or (is_sql and not is_mql)
