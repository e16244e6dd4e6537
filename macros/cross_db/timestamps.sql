{#- Timestamp parsing and time-zone conversion, the parts of SQL that differ most by engine.
    Every macro returns a timestamp without time zone that holds UTC. -#}

{#- An ISO-8601 string with an offset ('2024-03-01T12:34:56.000+0000', '...+02:00') or without
    one (read as UTC); null when it does not parse. -#}
{% macro iso_to_utc(column) -%}
    {{ return(adapter.dispatch('iso_to_utc')(column)) }}
{%- endmacro %}

{% macro default__iso_to_utc(column) -%}
    cast({{ dbt.safe_cast(column, 'timestamp with time zone') }} at time zone 'UTC' as timestamp)
{%- endmacro %}

{% macro duckdb__iso_to_utc(column) -%}
    cast(timezone('UTC', try_cast({{ column }} as timestamptz)) as timestamp)
{%- endmacro %}

{% macro spark__iso_to_utc(column) -%}
    to_utc_timestamp(to_timestamp({{ column }}), 'UTC')
{%- endmacro %}

{#- Epoch milliseconds (HubSpot) to a UTC timestamp. -#}
{% macro epoch_ms_to_utc(column) -%}
    {{ return(adapter.dispatch('epoch_ms_to_utc')(column)) }}
{%- endmacro %}

{% macro default__epoch_ms_to_utc(column) -%}
    cast(to_timestamp({{ column }} / 1000.0) at time zone 'UTC' as timestamp)
{%- endmacro %}

{% macro duckdb__epoch_ms_to_utc(column) -%}
    epoch_ms(cast({{ column }} as bigint))
{%- endmacro %}

{% macro spark__epoch_ms_to_utc(column) -%}
    timestamp_millis(cast({{ column }} as bigint))
{%- endmacro %}

{#- The UTC instant at which a local calendar day starts in an IANA time zone. -#}
{% macro local_day_start_utc(date_column, tz_column) -%}
    {{ return(adapter.dispatch('local_day_start_utc')(date_column, tz_column)) }}
{%- endmacro %}

{% macro default__local_day_start_utc(date_column, tz_column) -%}
    cast(cast({{ date_column }} as timestamp) at time zone {{ tz_column }} at time zone 'UTC' as timestamp)
{%- endmacro %}

{% macro duckdb__local_day_start_utc(date_column, tz_column) -%}
    cast(timezone('UTC', timezone({{ tz_column }}, cast({{ date_column }} as timestamp))) as timestamp)
{%- endmacro %}

{% macro spark__local_day_start_utc(date_column, tz_column) -%}
    to_utc_timestamp(cast({{ date_column }} as timestamp), {{ tz_column }})
{%- endmacro %}
