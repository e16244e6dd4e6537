{#- Spark: the unrestricted Damerau-Levenshtein distance of two strings, the same as DuckDB's
    damerau_levenshtein (and the Postgres function of prepare_engine): a swap of two neighbouring
    characters is one edit, later edits may touch the swapped pair, and it is counted on the UTF-8
    bytes of the strings ('é' against 'e' is two edits). Spark has only plain levenshtein (a swap
    costs two) and no SQL functions of our own, so this is one expression over arrays:
    Lowrance-Wagner's algorithm, the matrix row by row with aggregate() (the rows so far flattened
    into one array, each new row built cell by cell), and the last row at which each byte value
    appeared in the left string in an array of 256. Null when either string is null. -#}
{% macro spark_damerau_levenshtein(left_text, right_text) -%}
    if({{ left_text }} is null or {{ right_text }} is null, cast(null as int), element_at(transform(
        array(named_struct(
            'a', {{ _spark_utf8_bytes(left_text) }},
            'b', {{ _spark_utf8_bytes(right_text) }}
        )),
        dl_pair -> case
            when size(dl_pair.a) = 0 then size(dl_pair.b)
            when size(dl_pair.b) = 0 then size(dl_pair.a)
            else aggregate(
                sequence(1, size(dl_pair.a)),
                named_struct(
                    'd', concat(
                        array_repeat(size(dl_pair.a) + size(dl_pair.b), size(dl_pair.b) + 2),
                        array(size(dl_pair.a) + size(dl_pair.b)),
                        sequence(0, size(dl_pair.b))
                    ),
                    'da', array_repeat(0, 256)
                ),
                (dl_state, dl_i) -> named_struct(
                    'd', concat(dl_state.d, aggregate(
                        sequence(1, size(dl_pair.b)),
                        named_struct('cells', array(size(dl_pair.a) + size(dl_pair.b), dl_i), 'db', 0),
                        (dl_row, dl_j) -> named_struct(
                            'cells', concat(dl_row.cells, array(least(
                                element_at(dl_state.d, dl_i * (size(dl_pair.b) + 2) + dl_j + 1)
                                + if(element_at(dl_pair.a, dl_i) = element_at(dl_pair.b, dl_j), 0, 1),
                                element_at(dl_row.cells, dl_j + 1) + 1,
                                element_at(dl_state.d, dl_i * (size(dl_pair.b) + 2) + dl_j + 2) + 1,
                                element_at(
                                    dl_state.d,
                                    element_at(dl_state.da, element_at(dl_pair.b, dl_j) + 1) * (size(dl_pair.b) + 2)
                                    + dl_row.db + 1
                                )
                                + (dl_i - element_at(dl_state.da, element_at(dl_pair.b, dl_j) + 1) - 1)
                                + 1
                                + (dl_j - dl_row.db - 1)
                            ))),
                            'db', if(element_at(dl_pair.a, dl_i) = element_at(dl_pair.b, dl_j), dl_j, dl_row.db)
                        ),
                        dl_row -> dl_row.cells
                    )),
                    'da', transform(dl_state.da, (dl_last, dl_byte) -> if(dl_byte = element_at(dl_pair.a, dl_i), dl_i, dl_last))
                ),
                dl_state -> element_at(
                    dl_state.d, (size(dl_pair.a) + 1) * (size(dl_pair.b) + 2) + size(dl_pair.b) + 2
                )
            )
        end
    ), 1))
{%- endmacro %}

{#- The UTF-8 bytes of a string as an array of integers 0-255 (empty for ''; null for null). -#}
{% macro _spark_utf8_bytes(text) -%}
    if(octet_length({{ text }}) = 0, cast(array() as array<int>), transform(
        sequence(1, octet_length({{ text }})),
        utf8_position -> cast(conv(substring(hex(encode({{ text }}, 'UTF-8')), 2 * utf8_position - 1, 2), 16, 10) as int)
    ))
{%- endmacro %}
