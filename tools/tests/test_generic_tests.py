"""The project's generic tests pass on good data and fail on bad data.

One throw-away dbt project is written to a temporary directory: the generic test SQL copied from
tests/generic, a good and a bad seed, and a YAML file applying the tests to both. dbt builds it
once (through dbtRunner, in process); each pytest test then reads one test node's outcome.
"""
from __future__ import annotations

import shutil
import textwrap
from pathlib import Path

import pytest
from dbt.cli.main import dbtRunner

REPO = Path(__file__).resolve().parents[2]
GENERIC_TESTS = REPO / "tests" / "generic"

GOOD_CSV = """\
account_id,month,amount
a,2024-01-01,0
a,2024-02-01,50
b,2024-01-01,100
b,2024-02-01,
"""

# Two repeated (account_id, month) pairs; -1 and 101 lie outside 0..100, both in January.
BAD_CSV = """\
account_id,month,amount
a,2024-01-01,-1
a,2024-01-01,50
b,2024-01-01,101
b,2024-02-01,100
b,2024-02-01,20
"""

# Staging row counts as int_staging_row_dispositions has them, for declared_row_dispositions.
GOOD_DISPOSITIONS_CSV = """\
source_table,row_disposition,reject_rule,row_count
raw_web.pages,staged,,10
raw_web.pages,duplicate,,2
raw_web.pages,rejected,invalid_timestamp,1
raw_crm.account,deleted,,1
raw_crm.account,rejected,null_key,3
"""

# Six bad rows: a disposition raw_web.pages does not declare, a rule only another table declares, a
# rejected row without a rule, a staged row with one, a null disposition; and a table nobody declared.
BAD_DISPOSITIONS_CSV = """\
source_table,row_disposition,reject_rule,row_count
raw_web.pages,staged,,10
raw_web.pages,deleted,,1
raw_web.pages,rejected,null_key,1
raw_web.pages,rejected,,1
raw_crm.account,staged,null_key,1
raw_crm.account,,,1
raw_crm.contact,staged,,1
"""

DECLARED = """\
            declared:
              raw_web.pages: {row_dispositions: [staged, duplicate, rejected], reject_rules: [invalid_timestamp]}
              raw_crm.account: {row_dispositions: [staged, deleted, rejected], reject_rules: [null_key]}
"""

SEEDS_YML = """\
version: 2
seeds:
  - name: good_dispositions
    config:
      column_types: {source_table: varchar, row_disposition: varchar, reject_rule: varchar, row_count: integer}
    data_tests:
      - declared_row_dispositions:
          name: dispositions_on_good
          arguments:
""" + DECLARED + """\
      - declared_row_dispositions:
          name: dispositions_without_declarations
          arguments: {declared: {}}
  - name: bad_dispositions
    config:
      column_types: {source_table: varchar, row_disposition: varchar, reject_rule: varchar, row_count: integer}
    data_tests:
      - declared_row_dispositions:
          name: dispositions_on_bad
          arguments:
""" + DECLARED + """\
  - name: good
    config:
      column_types: {account_id: varchar, month: date, amount: integer}
    data_tests:
      - unique_combination_of_columns:
          name: combo_on_good
          arguments: {combination_of_columns: [account_id, month]}
      - unique_combination_of_columns:
          name: combo_quoted_on_good
          arguments: {combination_of_columns: [account_id, month], quote_columns: true}
      - unique_combination_of_columns:
          name: combo_single_column_on_good
          arguments: {combination_of_columns: [account_id]}
      - unique_combination_of_columns:
          name: combo_without_columns
          arguments: {combination_of_columns: []}
    columns:
      - name: amount
        data_tests:
          - accepted_range:
              name: range_inclusive_on_good
              arguments: {min_value: 0, max_value: 100}
          - accepted_range:
              name: range_exclusive_on_good
              arguments: {min_value: 0, max_value: 100, inclusive: false}
          - accepted_range:
              name: range_without_bounds
              arguments: {inclusive: true}
  - name: bad
    config:
      column_types: {account_id: varchar, month: date, amount: integer}
    data_tests:
      - unique_combination_of_columns:
          name: combo_on_bad
          arguments: {combination_of_columns: [account_id, month]}
    columns:
      - name: amount
        data_tests:
          - accepted_range:
              name: range_on_bad
              arguments: {min_value: 0, max_value: 100}
          - accepted_range:
              name: range_min_only_on_bad
              arguments: {min_value: 0}
          - accepted_range:
              name: range_max_only_on_bad
              arguments: {max_value: 100}
          - accepted_range:
              name: range_where_on_bad
              arguments: {min_value: 0, max_value: 100, where: "month > '2024-01-01'"}
"""


def _write_project(root: Path) -> None:
    (root / "seeds").mkdir(parents=True)
    shutil.copytree(GENERIC_TESTS, root / "tests" / "generic")
    (root / "dbt_project.yml").write_text(textwrap.dedent("""\
        name: generic_tests_fixture
        version: "1.0.0"
        config-version: 2
        profile: generic_tests_fixture
        seed-paths: ["seeds"]
        test-paths: ["tests"]
        flags:
          send_anonymous_usage_stats: false
        """))
    (root / "profiles.yml").write_text(textwrap.dedent(f"""\
        generic_tests_fixture:
          target: dev
          outputs:
            dev:
              type: duckdb
              path: "{root / 'fixture.duckdb'}"
              threads: 1
        """))
    (root / "seeds" / "good.csv").write_text(GOOD_CSV)
    (root / "seeds" / "bad.csv").write_text(BAD_CSV)
    (root / "seeds" / "good_dispositions.csv").write_text(GOOD_DISPOSITIONS_CSV)
    (root / "seeds" / "bad_dispositions.csv").write_text(BAD_DISPOSITIONS_CSV)
    (root / "seeds" / "_seeds.yml").write_text(SEEDS_YML)


@pytest.fixture(scope="module")
def outcomes(tmp_path_factory: pytest.TempPathFactory) -> dict[str, tuple[str, int | None]]:
    """Build the fixture project once; map each test's name to (status, failing row count)."""
    root = tmp_path_factory.mktemp("generic_tests_project")
    _write_project(root)
    result = dbtRunner().invoke([
        "build",
        "--project-dir", str(root),
        "--profiles-dir", str(root),
        "--target-path", str(root / "target"),
        "--log-path", str(root / "logs"),
        "--quiet",
    ])
    # Some tests are meant to fail, so the build as a whole does not succeed; it must still run.
    assert result.exception is None, result.exception
    return {r.node.name: (str(r.status), r.failures) for r in result.result.results}


def test_both_seeds_load(outcomes: dict[str, tuple[str, int | None]]) -> None:
    assert outcomes["good"][0] == "success"
    assert outcomes["bad"][0] == "success"
    assert outcomes["good_dispositions"][0] == "success"
    assert outcomes["bad_dispositions"][0] == "success"


@pytest.mark.parametrize("test_name", [
    "combo_on_good",
    "combo_quoted_on_good",
    "range_inclusive_on_good",
    "range_where_on_bad",
    "dispositions_on_good",
])
def test_passes_on_good_data(outcomes: dict[str, tuple[str, int | None]], test_name: str) -> None:
    assert outcomes[test_name] == ("pass", 0)


@pytest.mark.parametrize(("test_name", "failing_rows"), [
    ("combo_on_bad", 2),                 # (a, 2024-01-01) and (b, 2024-02-01) repeat
    ("combo_single_column_on_good", 2),  # a and b each occur twice
    ("range_on_bad", 2),                 # -1 and 101
    ("range_min_only_on_bad", 1),        # -1
    ("range_max_only_on_bad", 1),        # 101
    ("range_exclusive_on_good", 2),      # the bounds 0 and 100 themselves
    ("dispositions_on_bad", 6),          # the six rows after the first (BAD_DISPOSITIONS_CSV)
])
def test_fails_on_bad_data(
    outcomes: dict[str, tuple[str, int | None]], test_name: str, failing_rows: int
) -> None:
    assert outcomes[test_name] == ("fail", failing_rows)


@pytest.mark.parametrize("test_name", [
    "combo_without_columns",
    "range_without_bounds",
    "dispositions_without_declarations",
])
def test_missing_arguments_are_an_error(
    outcomes: dict[str, tuple[str, int | None]], test_name: str
) -> None:
    assert outcomes[test_name][0] == "error"
