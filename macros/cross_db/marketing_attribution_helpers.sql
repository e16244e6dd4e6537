{#- Helpers of the marketing marts (sessions, touches, attribution). -#}

{#- The value of one query-string parameter of a URL ('...?utm_source=x&utm_campaign=y', 'utm_campaign'
    -> 'y'), lower-cased and trimmed like staging's UTM tags; null when the URL lacks it or it is
    empty. Percent-encoding is left as is. -#}
{% macro url_query_parameter(url_column, parameter) -%}
    {{ return(adapter.dispatch('url_query_parameter')(url_column, parameter)) }}
{%- endmacro %}

{% macro default__url_query_parameter(url_column, parameter) -%}
    nullif(lower(trim(substring({{ url_column }} from '[?&]{{ parameter }}=([^&#]*)'))), '')
{%- endmacro %}

{% macro duckdb__url_query_parameter(url_column, parameter) -%}
    nullif(lower(trim(regexp_extract({{ url_column }}, '[?&]{{ parameter }}=([^&#]*)', 1))), '')
{%- endmacro %}

{% macro spark__url_query_parameter(url_column, parameter) -%}
    nullif(lower(trim(regexp_extract({{ url_column }}, '[?&]{{ parameter }}=([^&#]*)', 1))), '')
{%- endmacro %}
