"""The static dashboard (revops dashboard): generated from the test warehouse, opened in headless
Chromium, and checked from the DOM the browser leaves after its scripts ran - every chart drawn with
data, as many SVG marks as it claims, no JavaScript error - and against the marts, one numeric check
per chart family recomputed here from the marts (or the facts under them) by independent queries.

Needs Debian's chromium at /usr/bin/chromium (`make system-deps`; CHROMIUM overrides the path). Without
it the browser tests skip, unless REQUIRE_BROWSER is set (CI), when they fail.
While iterating, DASHBOARD_TEST_WAREHOUSE=<a built warehouse.duckdb> skips the session build.
"""
from __future__ import annotations

import datetime as dt
import json
import os
import re
import subprocess
import tempfile
from decimal import Decimal
from html.parser import HTMLParser
from pathlib import Path

import duckdb
import pytest
import yaml
from conftest import REPO

from revops_tools import dashboard

CHROMIUM = os.environ.get("CHROMIUM", "/usr/bin/chromium")
CENT = Decimal("0.01")
VOID_TAGS = {"area", "base", "br", "col", "embed", "hr", "img", "input", "link", "meta", "source", "track", "wbr"}


# ---- the browser and the DOM it leaves ----------------------------------------------------------


@pytest.fixture(scope="module")
def browser() -> str:
    if not Path(CHROMIUM).is_file():
        message = f"headless Chromium not found at {CHROMIUM} (install it with `make system-deps`)"
        if os.environ.get("REQUIRE_BROWSER"):
            pytest.fail(message + "; REQUIRE_BROWSER is set, so the dashboard must be checked in a browser")
        pytest.skip(message + "; set REQUIRE_BROWSER=1 to make this a failure")
    return CHROMIUM


def dump_dom(browser: str, page: Path) -> str:
    """The page's DOM after its scripts ran, from a fresh headless Chromium profile, without network."""
    with tempfile.TemporaryDirectory(prefix="dashboard-chromium-") as profile:
        result = subprocess.run(
            [
                browser, "--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
                "--disable-background-networking", "--disable-component-update", "--disable-sync",
                f"--user-data-dir={profile}", "--virtual-time-budget=5000", "--dump-dom", page.resolve().as_uri(),
            ],
            capture_output=True, text=True, timeout=180,
        )
    assert result.returncode == 0, f"chromium failed ({result.returncode}): {result.stderr[-2000:]}"
    assert "<html" in result.stdout, f"chromium printed no DOM: {result.stderr[-2000:]}"
    return result.stdout


class DashboardDom(HTMLParser):
    """Chart containers ([data-chart]) with their attributes and the data marks ([data-mark]) inside
    their SVG, and the text of #dashboard-errors."""

    def __init__(self, dom: str):
        super().__init__(convert_charrefs=True)
        self.charts: dict[str, dict] = {}
        self.errors: list[str] = []
        self._stack: list[tuple[str, str | None, bool]] = []  # (tag, chart it opens, opens the error list)
        self.feed(dom)
        self.close()

    def _chart(self) -> str | None:
        return next((chart for _, chart, _ in reversed(self._stack) if chart), None)

    def _in_errors(self) -> bool:
        return any(errors for _, _, errors in self._stack)

    def handle_starttag(self, tag, attrs):
        attributes = dict(attrs)
        chart = attributes.get("data-chart")
        if chart:
            self.charts[chart] = {"attrs": attributes, "marks": [], "svg": 0}
        current = chart or self._chart()
        if current:
            if tag == "svg":
                self.charts[current]["svg"] += 1
            if "data-mark" in attributes:
                self.charts[current]["marks"].append(attributes)
        if tag not in VOID_TAGS:
            self._stack.append((tag, chart, attributes.get("id") == "dashboard-errors"))

    def handle_startendtag(self, tag, attrs):
        self.handle_starttag(tag, attrs)
        if tag not in VOID_TAGS:
            self.handle_endtag(tag)

    def handle_endtag(self, tag):
        for index in range(len(self._stack) - 1, -1, -1):
            if self._stack[index][0] == tag:
                del self._stack[index:]
                return

    def handle_data(self, data):
        if self._in_errors() and data.strip():
            self.errors.append(data.strip())


def chart_problems(dom: DashboardDom, charts=dashboard.CHARTS) -> list[str]:
    """What keeps the page from being a dashboard with data: empty when every chart rendered with data."""
    problems = [f"JavaScript error: {error}" for error in dom.errors]
    for name in charts:
        chart = dom.charts.get(name)
        if chart is None:
            problems.append(f"{name}: no container")
            continue
        attrs = chart["attrs"]
        if attrs.get("data-rendered") != "true":
            problems.append(f"{name}: not rendered (data-rendered={attrs.get('data-rendered')!r})")
            continue
        points = int(attrs.get("data-points") or 0)
        if points <= 0:
            problems.append(f"{name}: rendered without data (data-points={attrs.get('data-points')!r})")
        if chart["svg"] == 0:
            problems.append(f"{name}: no SVG")
        if len(chart["marks"]) != points:
            problems.append(f"{name}: data-points={points} but {len(chart['marks'])} marks in its SVG")
    return problems


def embedded_payload(page: Path) -> dict:
    match = re.search(
        r'<script type="application/json" id="dashboard-data">(.*?)</script>', page.read_text(encoding="utf-8"), re.S
    )
    assert match, "no embedded JSON data block"
    return json.loads(match.group(1))


# ---- the page of the test warehouse -------------------------------------------------------------


@pytest.fixture(scope="module")
def warehouse(request) -> Path:
    override = os.environ.get("DASHBOARD_TEST_WAREHOUSE")
    return Path(override) if override else request.getfixturevalue("built")


@pytest.fixture(scope="module")
def page(warehouse: Path, tmp_path_factory) -> Path:
    out = tmp_path_factory.mktemp("dashboard") / "index.html"
    dashboard.generate(warehouse, out, project_dir=REPO)
    return out


@pytest.fixture(scope="module")
def payload(page: Path) -> dict:
    return embedded_payload(page)


@pytest.fixture(scope="module")
def dom(browser: str, page: Path) -> DashboardDom:
    return DashboardDom(dump_dom(browser, page))


@pytest.fixture(scope="module")
def con(warehouse: Path):
    connection = duckdb.connect(str(warehouse), read_only=True)
    yield connection
    connection.close()


def _month(iso: str) -> dt.date:
    return dt.date.fromisoformat(iso)


def _cents(value) -> Decimal:
    return Decimal(str(value)).quantize(CENT)


def _rate(value) -> Decimal | None:
    return None if value is None else Decimal(str(value))


def test_page_is_self_contained(page: Path):
    text = page.read_text(encoding="utf-8")
    assert not re.search(r"""(src|href)\s*=\s*["']?(https?:)?//""", text, re.I), "the page loads something remote"
    assert "@import" not in text and "fetch(" not in text and "XMLHttpRequest" not in text
    assert text.count('<script type="application/json" id="dashboard-data">') == 1
    for name in dashboard.CHARTS:
        assert f'data-chart="{name}"' in text


def test_every_chart_rendered_with_data(dom: DashboardDom):
    assert chart_problems(dom) == []


def test_marks_drawn_match_the_data(dom: DashboardDom, payload: dict):
    """Each chart draws one mark per data value it was given (nulls are not drawn)."""
    charts = payload["charts"]

    def present(*values):
        return sum(value is not None for value in values)

    expected = {
        "revenue_bridge": len(charts["revenue_bridge"]["steps"]),
        "mrr_arr_trend": sum(present(p["mrr"], p["arr"]) for p in charts["mrr_arr_trend"]["points"]),
        "cohort_retention": sum(
            present(*(cell["revenue_retention"] for cell in cohort["cells"]))
            for cohort in charts["cohort_retention"]["cohorts"]
        ),
        "lead_funnel": len(charts["lead_funnel"]["stages"]),
        "win_rate": sum(present(p["win_rate_count"], p["win_rate_amount"]) for p in charts["win_rate"]["points"]),
        "cac_roas": sum(present(c.get("cac_paid"), c.get("roas")) for c in charts["cac_roas"]["channels"]),
        "data_quality": len(charts["data_quality"]["tables"]),
    }
    drawn = {name: int(dom.charts[name]["attrs"]["data-points"]) for name in dashboard.CHARTS}
    assert drawn == expected


def test_as_of_comes_from_the_data(payload: dict, con):
    """The as-of date is the warehouse's (int_as_of), and the charts stop at the month before it."""
    as_of_date, as_of_month = con.execute("select as_of_date, as_of_month from intermediate.int_as_of").fetchone()
    assert payload["as_of_date"] == as_of_date.isoformat()
    assert payload["as_of_month"] == as_of_month.isoformat()
    last_complete = _month(payload["last_complete_month"])
    assert last_complete < as_of_month and (as_of_month - last_complete).days <= 31
    for series in (payload["charts"]["mrr_arr_trend"]["points"], payload["charts"]["win_rate"]["points"]):
        assert series and max(_month(p["month"]) for p in series) == last_complete


def test_revenue_bridge_equals_the_mart_to_the_cent(payload: dict, dom: DashboardDom, con):
    bridge = payload["charts"]["revenue_bridge"]
    assert bridge["month"] == payload["last_complete_month"]
    row = con.execute(
        """
        select opening_mrr, new_mrr, expansion_mrr, reactivation_mrr, contraction_mrr, churn_mrr, fx_mrr, mrr
        from marts.fct_revenue_monthly where segment_type = 'all' and month = ?
        """,
        [_month(bridge["month"])],
    ).fetchone()
    in_json = [_cents(step["value"]) for step in bridge["steps"]]
    in_dom = [_cents(mark["data-value"]) for mark in dom.charts["revenue_bridge"]["marks"]]
    assert [step["key"] for step in bridge["steps"]] == [
        "opening", "new", "expansion", "reactivation", "contraction", "churn", "fx", "closing",
    ]
    assert in_json == list(row)
    assert in_dom == list(row)
    # the waterfall closes: opening + movements = closing
    assert sum(in_json[:-1]) == in_json[-1]


def test_mrr_arr_trend_equals_the_mart(payload: dict, con):
    rows = con.execute(
        "select month, mrr, arr from marts.fct_revenue_monthly where segment_type = 'all' and month < ? order by month",
        [_month(payload["as_of_month"])],
    ).fetchall()
    points = payload["charts"]["mrr_arr_trend"]["points"]
    assert [(_month(p["month"]), _cents(p["mrr"]), _cents(p["arr"])) for p in points] == rows


def test_cohort_heat_map_equals_the_mart(payload: dict, dom: DashboardDom, con):
    as_of_month = _month(payload["as_of_month"])
    chart = payload["charts"]["cohort_retention"]
    expected = {
        (cohort.isoformat(), offset): value
        for cohort, offset, value in con.execute(
            "select cohort_month, month_offset, revenue_retention from marts.fct_cohort_retention where month < ?",
            [as_of_month],
        ).fetchall()
    }
    cohorts = [c["cohort_month"] for c in chart["cohorts"]]
    latest = sorted({cohort for cohort, _ in expected}, reverse=True)[: dashboard.COHORT_MONTHS]
    assert cohorts == sorted(latest)
    marks = dom.charts["cohort_retention"]["marks"]
    drawn = {(m["data-cohort"], int(m["data-offset"])): float(m["data-value"]) for m in marks}
    for cohort in chart["cohorts"]:
        for cell in cohort["cells"]:
            key = (cohort["cohort_month"], cell["offset"])
            assert cell["revenue_retention"] == pytest.approx(expected[key], rel=1e-12), key
            assert drawn[key] == pytest.approx(expected[key], rel=1e-12), key
    # every complete cell of the shown cohorts and offsets is there, no partial month
    wanted = {k for k in expected if k[0] in cohorts and k[1] < dashboard.COHORT_MONTHS and expected[k] is not None}
    assert set(drawn) == wanted


def test_lead_funnel_equals_the_leads(payload: dict, con):
    """Recomputed from the lead-level fact: leads created in the window by stage reached."""
    chart = payload["charts"]["lead_funnel"]
    start, end = _month(chart["from_month"]), _month(payload["as_of_month"])
    assert (end.year - start.year) * 12 + end.month - start.month == 12
    counts = con.execute(
        """
        select count(*), count(*) filter (where is_mql), count(*) filter (where is_sql),
            count(*) filter (where has_opportunity), count(*) filter (where is_won)
        from marts.fct_lead_funnel where lead_cohort_month >= ? and lead_cohort_month < ?
        """,
        [start, end],
    ).fetchone()
    assert [s["stage"] for s in chart["stages"]] == ["lead", "mql", "sql", "opportunity", "closed_won"]
    assert [s["count"] for s in chart["stages"]] == list(counts)


def test_win_rate_equals_the_mart(payload: dict, con):
    as_of_month = _month(payload["as_of_month"])
    rows = con.execute(
        """
        select month, win_rate_count, win_rate_amount from marts.fct_closed_opportunities_monthly
        where opportunity_type = 'all' and sales_channel = 'all' and source_channel = 'all' and month < ?
        order by month desc limit ?
        """,
        [as_of_month, dashboard.TREND_MONTHS],
    ).fetchall()
    points = payload["charts"]["win_rate"]["points"]
    shown = [
        (_month(p["month"]), *(_rate(p[k]) for k in ("win_rate_count", "win_rate_amount")))
        for p in points
    ]
    assert shown == sorted(rows)


def test_cac_and_roas_equal_spend_customers_and_credits(payload: dict, dom: DashboardDom, con):
    """Recomputed under the channel marts: ad spend by day, new-customer movements, attribution credits."""
    chart = payload["charts"]["cac_roas"]
    project_vars = yaml.safe_load((REPO / "dbt_project.yml").read_text())["vars"]
    assert chart["attribution_model"] == project_vars["default_attribution_model"]
    start, end = _month(chart["from_month"]), _month(payload["as_of_month"])
    spend = dict(
        con.execute(
            "select channel, sum(spend) from marts.fct_ad_spend_daily where month >= ? and month < ? group by channel",
            [start, end],
        ).fetchall()
    )
    new_customers = dict(
        con.execute(
            """
            select mrr.acquisition_channel, count(*)
            from marts.fct_mrr_movements as movements
            inner join marts.fct_mrr as mrr on movements.customer_id = mrr.customer_id and movements.month = mrr.month
            where movements.movement_type = 'new' and movements.month >= ? and movements.month < ?
            group by mrr.acquisition_channel
            """,
            [start, end],
        ).fetchall()
    )
    bookings = dict(
        con.execute(
            """
            select channel, sum(credited_bookings) from marts.fct_attribution_credits
            where attribution_model = ? and conversion_type = 'won_opportunity'
                and booking_month >= ? and booking_month < ?
            group by channel
            """,
            [chart["attribution_model"], start, end],
        ).fetchall()
    )
    channels = {c["channel"]: c for c in chart["channels"]}
    assert set(channels) == set(spend), "one entry per channel with ad spend"
    drawn = {(m["data-series"], m["data-channel"]): float(m["data-value"]) for m in dom.charts["cac_roas"]["marks"]}
    for channel, channel_spend in spend.items():
        shown = channels[channel]
        customers = new_customers.get(channel, 0)
        assert _cents(shown["spend"]) == channel_spend
        assert shown["new_customers"] == customers
        if customers:
            assert _cents(shown["cac_paid"]) == (channel_spend / customers).quantize(CENT)
            assert _cents(drawn[("cac_paid", channel)]) == (channel_spend / customers).quantize(CENT)
        expected_roas = float(bookings.get(channel, Decimal(0)) / channel_spend)
        assert shown["roas"] == pytest.approx(expected_roas, rel=1e-12)
        assert drawn[("roas", channel)] == pytest.approx(expected_roas, rel=1e-12)


def test_data_quality_scores_are_each_tables_latest_load(payload: dict, dom: DashboardDom, con):
    tables = payload["charts"]["data_quality"]["tables"]
    latest = {
        table: (load_date.isoformat(), score)
        for table, load_date, score in con.execute(
            """
            select loads.source_table, loads.load_date, loads.data_quality_score
            from marts.fct_data_quality_loads as loads
            inner join (
                select source_table, max(load_date) as load_date from marts.fct_data_quality_loads group by source_table
            ) as last_load on loads.source_table = last_load.source_table and loads.load_date = last_load.load_date
            """
        ).fetchall()
    }
    assert {t["source_table"] for t in tables} == set(latest)
    for t in tables:
        assert (t["load_date"], Decimal(str(t["score"]))) == latest[t["source_table"]], t["source_table"]
    drawn = {m["data-table"]: Decimal(m["data-value"]) for m in dom.charts["data_quality"]["marks"]}
    assert drawn == {table: score for table, (_, score) in latest.items()}


# ---- the check can fail --------------------------------------------------------------------------


def _copy_of_marts(warehouse: Path, target: Path, empty: str) -> Path:
    """A warehouse holding only the marts the page reads, with `empty` emptied."""
    con = duckdb.connect(str(target))
    try:
        con.execute(f"attach '{warehouse}' as source (read_only)")
        con.execute("create schema marts")
        for mart in dashboard.SOURCE_MARTS:
            con.execute(f"create table marts.{mart} as select * from source.marts.{mart}")
        con.execute(f"delete from marts.{empty}")
        con.execute("detach source")
    finally:
        con.close()
    return target


def test_an_emptied_mart_is_reported_as_not_rendered_with_data(browser: str, warehouse: Path, tmp_path: Path):
    emptied = _copy_of_marts(warehouse, tmp_path / "emptied.duckdb", "fct_cohort_retention")
    page = tmp_path / "emptied.html"
    dashboard.generate(emptied, page, project_dir=REPO)
    problems = chart_problems(DashboardDom(dump_dom(browser, page)))
    assert problems == ["cohort_retention: rendered without data (data-points='0')"]


def test_a_chart_whose_drawing_fails_is_reported(browser: str, payload: dict, tmp_path: Path):
    """Data the script cannot draw: the error lands in #dashboard-errors and the chart is not rendered."""
    broken = json.loads(json.dumps(payload))
    broken["charts"]["win_rate"]["points"] = [{"month": None}]
    page = tmp_path / "broken.html"
    page.write_text(dashboard.render_html(broken), encoding="utf-8")
    dom = DashboardDom(dump_dom(browser, page))
    problems = chart_problems(dom)
    assert any(p.startswith("JavaScript error: chart win_rate:") for p in problems), problems
    assert "win_rate: not rendered (data-rendered='false')" in problems
    assert all("win_rate" in p for p in problems), problems


def test_cli_writes_the_page_and_reports_a_missing_warehouse(warehouse: Path, tmp_path: Path, capsys):
    from revops_tools.cli import main

    out = tmp_path / "cli" / "index.html"
    assert main(["dashboard", "--path", str(warehouse), "--out", str(out), "--project-dir", str(REPO)]) == 0
    assert embedded_payload(out)["charts"].keys() == set(dashboard.CHARTS)
    assert main(["dashboard", "--path", str(tmp_path / "missing.duckdb"), "--out", str(tmp_path / "x.html")]) == 1
    assert "no such warehouse file" in capsys.readouterr().err
    assert not (tmp_path / "x.html").exists()


def test_embedded_json_cannot_end_its_script_element(payload: dict):
    hostile = json.loads(json.dumps(payload))
    hostile["title"] = "</script><script>alert(1)</script> & co"
    page = dashboard.render_html(hostile)
    body = page.split('<script type="application/json" id="dashboard-data">', 1)[1].split("</script>", 1)[0]
    assert json.loads(body)["title"] == hostile["title"]
    assert "<script>alert(1)" not in page


def test_dashboard_exposure_lists_exactly_the_marts_the_page_reads(manifest: dict):
    """dbt docs and `dbt ls -s +exposure:revops_dashboard` show the page's lineage only if this holds."""
    exposure = manifest["exposures"]["exposure.revops_warehouse.revops_dashboard"]
    depends_on = {node.split(".")[-1] for node in exposure["depends_on"]["nodes"]}
    assert depends_on == set(dashboard.SOURCE_MARTS)
