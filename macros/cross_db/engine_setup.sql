{#- Run once at the start of every dbt invocation (on-run-start in dbt_project.yml): the functions an
    engine lacks that our dispatched macros call. Nothing on DuckDB. Creating them is idempotent and
    needs only the CREATE privilege on the target schema, which the dbt user has. -#}
{% macro prepare_engine() -%}
    {{ return(adapter.dispatch('prepare_engine')()) }}
{%- endmacro %}

{% macro default__prepare_engine() -%}
{%- endmacro %}

{#- Postgres: damerau_levenshtein(text, text), the same distance as DuckDB's function of that name,
    which name_similarity uses: the unrestricted Damerau-Levenshtein distance (a swap of two
    neighbouring characters is one edit, and later edits may touch the swapped pair), counted on the
    UTF-8 bytes of the strings as DuckDB counts them ('é' against 'e' is two edits). fuzzystrmatch's
    levenshtein would count a swap as two edits and match fewer names than DuckDB. Lowrance-Wagner's
    algorithm, with the matrix in one array shifted by one row and column. -#}
{% macro postgres__prepare_engine() -%}
    create schema if not exists {{ target.schema }};
    create or replace function {{ target.schema }}.damerau_levenshtein(left_text text, right_text text)
    returns integer
    language plpgsql
    immutable
    strict
    parallel safe
    as $body$
    declare
        a bytea := convert_to(left_text, 'UTF8');
        b bytea := convert_to(right_text, 'UTF8');
        la integer := length(a);
        lb integer := length(b);
        width integer := lb + 2;
        max_distance integer := la + lb;
        d integer[];
        last_row_of_byte integer[];
        last_match_column integer;
        i integer;
        j integer;
        k integer;
        l integer;
        cost integer;
    begin
        if la = 0 then
            return lb;
        end if;
        if lb = 0 then
            return la;
        end if;
        d := array_fill(0, array[(la + 2) * width]);
        last_row_of_byte := array_fill(0, array[256], array[0]);
        -- d[(i + 1) * width + (j + 1) + 1] is the distance of a's first i bytes to b's first j bytes.
        d[1] := max_distance;
        for i in 0..la loop
            d[(i + 1) * width + 1] := max_distance;
            d[(i + 1) * width + 2] := i;
        end loop;
        for j in 0..lb loop
            d[j + 2] := max_distance;
            d[width + j + 2] := j;
        end loop;
        for i in 1..la loop
            last_match_column := 0;
            for j in 1..lb loop
                k := last_row_of_byte[get_byte(b, j - 1)];
                l := last_match_column;
                if get_byte(a, i - 1) = get_byte(b, j - 1) then
                    cost := 0;
                    last_match_column := j;
                else
                    cost := 1;
                end if;
                d[(i + 1) * width + j + 2] := least(
                    d[i * width + j + 1] + cost,
                    d[(i + 1) * width + j + 1] + 1,
                    d[i * width + j + 2] + 1,
                    d[k * width + l + 1] + (i - k - 1) + 1 + (j - l - 1)
                );
            end loop;
            last_row_of_byte[get_byte(a, i - 1)] := i;
        end loop;
        return d[(la + 1) * width + lb + 2];
    end;
    $body$;

    {#- safe_cast's Postgres versions (macros/cross_db/safe_cast.sql): null instead of an error for a
        value that does not parse. Each first checks the shape DuckDB's try_cast reads (Postgres
        alone would also read 'yesterday' or '03/01/2024'), then casts, catching range errors. -#}
    create or replace function {{ target.schema }}.try_cast_date(value text)
    returns date
    language plpgsql
    immutable
    strict
    as $body$
    begin
        if value !~ '^\s*\d{4}[-/]\d{1,2}[-/]\d{1,2}([ T][0-9:.+-]*)?\s*$' then
            return null;
        end if;
        return cast(cast(replace(trim(value), '/', '-') as timestamp) as date);
    exception when others then
        return null;
    end;
    $body$;

    create or replace function {{ target.schema }}.try_cast_timestamptz(value text)
    returns timestamp with time zone
    language plpgsql
    immutable
    strict
    as $body$
    begin
        if value !~ '^\s*\d{4}-\d{1,2}-\d{1,2}([ T]\d{1,2}:\d{2}(:\d{2}(\.\d+)?)?)?\s*(Z|[+-]\d{2}(:?\d{2})?)?\s*$' then
            return null;
        end if;
        return cast(value as timestamp with time zone);
    exception when others then
        return null;
    end;
    $body$;

    create or replace function {{ target.schema }}.try_cast_integer(value text)
    returns integer
    language plpgsql
    immutable
    strict
    as $body$
    begin
        if value !~ '^\s*[+-]?(\d+\.?\d*|\.\d+)([eE][+-]?\d+)?\s*$' then
            return null;
        end if;
        return cast(round(cast(value as numeric)) as integer);
    exception when others then
        return null;
    end;
    $body$;

    {#- json_string's Postgres version (macros/cross_db/json.sql): null for text that is not JSON. -#}
    create or replace function {{ target.schema }}.try_cast_json(value text)
    returns json
    language plpgsql
    immutable
    strict
    as $body$
    begin
        return cast(value as json);
    exception when others then
        return null;
    end;
    $body$
{%- endmacro %}

{#- Spark: the raw tables, as tables over the Parquet files of `revops export-parquet`
    (macros/cross_db/spark_raw_tables.sql); the statements run here, one at a time, as Spark takes
    them. -#}
{% macro spark__prepare_engine() -%}
    {%- do register_raw_tables() -%}
{%- endmacro %}
