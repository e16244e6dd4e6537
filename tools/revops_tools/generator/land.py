"""Landing: the faults a real sync brings, recorded row by row, then every table written to DuckDB."""
from __future__ import annotations

import copy

import duckdb
import numpy as np
import pandas as pd

from revops_tools.generator.schema import (
    DATE,
    MS,
    NATURAL_KEYS,
    SFDATE,
    SFDT,
    TABLES,
    TRUTH_TABLES,
    TS,
)
from revops_tools.generator.world import DAY, HOUR, SYNC_END, World, as_dict, as_tuple

# (table, fault kind, column(s) it breaks, how it breaks, share of the table's rows)
BROKEN_CLONES = [
    ("raw_salesforce.opportunity", "null_key", "account_id", None, 0.002),
    ("raw_salesforce.opportunity", "orphan_fk", "account_id", "orphan:001", 0.002),
    ("raw_salesforce.opportunity", "close_before_create", "close_date", "before_created", 0.003),
    ("raw_salesforce.opportunity", "unknown_currency", "currency_iso_code", "XXX", 0.002),
    ("raw_salesforce.contact", "orphan_fk", "account_id", "orphan:001", 0.002),
    ("raw_salesforce.task", "null_key", ("who_id", "what_id"), None, 0.0005),
    ("raw_salesforce.opportunity_line_item", "negative_quantity", "quantity", "negate", 0.002),
    ("raw_salesforce.campaign_member", "orphan_fk", "campaign_id", "orphan:701", 0.002),
    ("raw_stripe.invoice", "null_key", "customer_id", None, 0.001),
    ("raw_stripe.invoice", "unknown_currency", "currency", "usx", 0.001),
    ("raw_stripe.charge", "null_key", "customer_id", None, 0.001),
    ("raw_stripe.charge", "orphan_fk", "invoice_id", "orphan:in", 0.001),
    ("raw_stripe.charge", "negative_amount", "amount", "negate", 0.001),
    ("raw_stripe.charge", "unknown_currency", "currency", "eur1", 0.001),
    ("raw_stripe.subscription_item", "orphan_fk", "plan_id", "orphan:price", 0.002),
    ("raw_stripe.subscription_item", "negative_quantity", "quantity", "negate", 0.002),
    ("raw_stripe.invoice_line_item", "orphan_fk", "invoice_id", "orphan:in", 0.0005),
    ("raw_hubspot.email_event", "null_key", "recipient", None, 0.0002),
]
# raw_web.pages is built in DuckDB (see marketing.PAGE_VIEWS_SQL); its faults are injected there too.
PAGE_FAULTS_SQL = """
insert into raw_web.pages
select * replace ('pg-x' || substr(id, 4) as id, null as anonymous_id, null as user_id)
from raw_web.pages where hash(id, {seed}, 'null_key') % 10000 = 0;
insert into raw_web.pages
select * replace (least(_fivetran_synced + interval 5 hour, timestamp '2026-11-01 03:00:00') as _fivetran_synced)
from raw_web.pages where hash(id, {seed}, 'dup') % 500 = 0 and id not like 'pg-x%';
"""
DELETABLE = {"is_deleted", "_fivetran_deleted"}
HANDLING = {"null_key": "reject", "orphan_fk": "reject", "close_before_create": "reject",
            "unknown_currency": "reject", "negative_quantity": "reject", "negative_amount": "reject"}


def _count(w: World, n_rows: int, share: float, minimum: int = 2) -> int:
    if n_rows < 10:
        return 0
    return max(minimum, int(round(n_rows * share)))


class Lander:
    def __init__(self, w: World):
        self.w = w
        self.company_of: dict[tuple[str, str], str] = {(t, i): c for t, i, c in w.buf.source_records}

    # new ids for injected rows -----------------------------------------------------------------------
    def new_id(self, table: str, like: str) -> str:
        w = self.w
        if table.startswith("raw_salesforce"):
            return w.sf_id(like[:3])
        if table.startswith("raw_stripe"):
            if "_" in like:
                return w.stripe_id(like.split("_")[0])
            return f"{like}_X{w._next('coupon_clone')}"
        if table == "raw_web.pages":
            return f"pg-{w.np.integers(0, 2**63):016x}"
        return w.num_id(f"clone_{table}", 900_000_000)

    def inject(self) -> None:
        """Adds the faulty rows. Each injected row carries exactly one fault: re-synced duplicates
        are drawn first, from the story's own rows, so a broken row is never also re-synced."""
        w = self.w
        b = w.buf
        originals = {t: len(b.frames[t]) if t in b.frames else len(b.rows[t]) for t in TABLES}
        for table in TABLES:
            if table == "raw_web.pages":
                continue
            if table in b.frames:
                self._duplicate_frame(table)
            elif b.rows[table]:
                for row in self._sample_rows(table, _count(w, len(b.rows[table]), 0.004, 1)):
                    clone = copy.copy(row)
                    # A later sync lands the same record again.
                    clone["_fivetran_synced"] = min(row["_fivetran_synced"] + w.r.uniform(1, 48) * HOUR, SYNC_END)
                    b.rows[table].append(clone)
                    b.fault(table, self._key(table, row), "duplicate_load", "dedupe")
        for table, kind, cols, how, share in BROKEN_CLONES:
            self._broken(table, kind, cols, how, share, originals[table])
        for table, cols in TABLES.items():
            names = {c for c, _ in cols}
            flag = next((c for c in names if c in DELETABLE), None)
            if flag and table in b.rows and b.rows[table]:
                n = originals[table]
                for row in self._sample_rows(table, _count(w, n, 0.003), n):
                    clone = copy.copy(row)
                    clone["id"] = self.new_id(table, row["id"])
                    clone[flag] = True
                    self._append(table, clone, row["id"], "soft_delete", "delete")

    def _sample_rows(self, table: str, k: int, among: int | None = None) -> list[dict]:
        """k rows drawn from the first `among` rows of the table (all rows by default)."""
        rows = self.w.buf.rows[table]
        n = len(rows) if among is None else among
        if k <= 0 or n == 0:
            return []
        idx = sorted(self.w.r.sample(range(n), min(k, n)))
        return [as_dict(table, rows[i]) for i in idx]

    def _key(self, table: str, row: dict) -> str:
        if table in NATURAL_KEYS:
            return "|".join(str(row[c]) for c in NATURAL_KEYS[table])
        return row["id"]

    def _append(self, table: str, clone: dict, original_id: str, kind: str, handling: str) -> None:
        b = self.w.buf
        b.rows[table].append(clone)
        b.fault(table, clone["id"], kind, handling)
        company = self.company_of.get((table, original_id))
        if company is not None:
            b.source_records.append((table, clone["id"], company))

    def _broken(self, table, kind, cols, how, share, among: int) -> None:
        w = self.w
        b = w.buf
        if table in b.frames:
            f = b.frames[table]
            k = _count(w, among, share)
            pick = f.iloc[sorted(w.r.sample(range(among), min(k, among)))].copy()
            pick["id"] = [self.new_id(table, "x") for _ in range(len(pick))]
            for c in (cols if isinstance(cols, tuple) else (cols,)):
                pick[c] = None
            b.frames[table] = pd.concat([f, pick], ignore_index=True)
            for i in pick["id"]:
                b.fault(table, i, kind, HANDLING[kind])
            return
        for row in self._sample_rows(table, _count(w, among, share), among):
            clone = copy.copy(row)
            clone["id"] = self.new_id(table, row["id"])
            for c in (cols if isinstance(cols, tuple) else (cols,)):
                if how is None:
                    clone[c] = None
                elif how == "negate":
                    clone[c] = -abs(clone[c] or 1)
                elif how == "before_created":
                    clone[c] = clone["created_date"] - w.r.uniform(3, 60) * DAY
                elif how.startswith("orphan:"):
                    prefix = how.split(":")[1]
                    clone[c] = (w.sf_id(prefix) if table.startswith("raw_salesforce")
                                else f"{prefix}_MISSING{w.r.randrange(10**8):08d}")
                else:
                    clone[c] = how
            self._append(table, clone, row["id"], kind, HANDLING[kind])

    def _duplicate_frame(self, table: str) -> None:
        w = self.w
        b = w.buf
        f = b.frames[table]
        k = _count(w, len(f), 0.002, 1)
        pick = f.iloc[sorted(w.r.sample(range(len(f)), min(k, len(f))))].copy()
        pick["_fivetran_synced"] = np.minimum(pick["_fivetran_synced"] + w.np.uniform(1, 48, len(pick)) * HOUR,
                                              SYNC_END)
        b.frames[table] = pd.concat([f, pick], ignore_index=True)
        if table in NATURAL_KEYS:
            cols = NATURAL_KEYS[table]
            keys = pick[list(cols)].astype({cols[0]: "float64"}).copy()
            day = keys[cols[0]].to_numpy().astype("int64").astype("datetime64[s]").astype("datetime64[D]").astype(str)
            ids = [f"{d}|{c}" for d, c in zip(day, keys[cols[1]].astype(str))]
        else:
            ids = pick["id"].tolist()
        for i in ids:
            b.fault(table, i, "duplicate_load", "dedupe")

    # writing ---------------------------------------------------------------------------------------
    def write(self, path: str, progress) -> dict[str, int]:
        w = self.w
        con = duckdb.connect(path)
        counts: dict[str, int] = {}
        schemas = sorted({t.split(".")[0] for t in list(TABLES) + list(TRUTH_TABLES)})
        for s in schemas:
            con.execute(f"drop schema if exists {s} cascade")
            con.execute(f"create schema {s}")
        for table, cols in TABLES.items():
            if table == "raw_web.pages":
                counts[table] = self._write_pages(con)
                progress(f"  wrote {table:<48} {counts[table]:>10,} rows")
                continue
            if table in w.buf.frames:
                df = w.buf.frames[table]
            else:
                df = pd.DataFrame([as_tuple(table, r) for r in w.buf.rows[table]], columns=[c for c, _ in cols])
                w.buf.rows[table] = []  # free the Python rows as soon as the table is written
            df = _encode(df, cols)
            schema, name = table.split(".")
            select = ", ".join(f'cast("{c}" as {_sql_type(t)}) as "{c}"' for c, t in cols)
            con.register("frame", df)
            con.execute(f'create table {schema}."{name}" as select {select} from frame')
            con.unregister("frame")
            counts[table] = len(df)
            progress(f"  wrote {table:<48} {len(df):>10,} rows")
        truth = {
            "truth.companies": pd.DataFrame(
                [(c.company_id, c.name, c.domain, c.country, c.employees, c.industry) for c in w.companies],
                columns=[c for c, _ in TRUTH_TABLES["truth.companies"]]),
            "truth.source_records": pd.DataFrame(sorted(set(w.buf.source_records)),
                                                 columns=[c for c, _ in TRUTH_TABLES["truth.source_records"]]),
            "truth.injected_faults": pd.DataFrame(w.buf.faults,
                                                  columns=[c for c, _ in TRUTH_TABLES["truth.injected_faults"]]),
        }
        for table, df in truth.items():
            schema, name = table.split(".")
            select = ", ".join(f'cast("{c}" as {t}) as "{c}"' for c, t in TRUTH_TABLES[table])
            con.register("frame", df)
            con.execute(f'create table {schema}."{name}" as select {select} from frame')
            con.unregister("frame")
            counts[table] = len(df)
        con.execute("checkpoint")
        con.close()
        return counts


    def _write_pages(self, con) -> int:
        from revops_tools.generator.marketing import page_views_sql
        from revops_tools.generator.world import END

        w = self.w
        con.register("sessions", w.sessions_frame)
        select = ", ".join(f'cast("{c}" as {_sql_type(t)}) as "{c}"' for c, t in TABLES["raw_web.pages"])
        con.execute(f"create table raw_web.pages as select {select} from ({page_views_sql(w.seed, END)})")
        con.unregister("sessions")
        w.sessions_frame = None
        con.execute(PAGE_FAULTS_SQL.replace("{seed}", str(w.seed)))
        for (i,) in con.execute("select id from raw_web.pages where id like 'pg-x%' order by id").fetchall():
            w.buf.fault("raw_web.pages", i, "null_key", "reject")
        for (i,) in con.execute(
            "select id from raw_web.pages group by id having count(*) > 1 order by id"
        ).fetchall():
            w.buf.fault("raw_web.pages", i, "duplicate_load", "dedupe")
        return con.execute("select count(*) from raw_web.pages").fetchone()[0]


def _sql_type(t: str) -> str:
    return {SFDT: "VARCHAR", SFDATE: "VARCHAR", TS: "TIMESTAMP", MS: "BIGINT", DATE: "DATE"}.get(t, t)


def _encode(df: pd.DataFrame, cols: list[tuple[str, str]]) -> pd.DataFrame:
    """Turns the simulation's epoch seconds into each column's landed form."""
    out = {}
    for c, t in cols:
        s = df[c]
        if t in (SFDT, SFDATE, TS, MS, DATE):
            v = pd.to_numeric(s, errors="coerce").to_numpy(dtype="float64")
            null = np.isnan(v)
            safe = np.where(null, 0, v)
            if t == MS:
                out[c] = pd.array(np.round(safe * 1000).astype("int64"), dtype="Int64")
                out[c][null] = pd.NA
            elif t == TS:
                ts = (np.round(safe * 1e6)).astype("int64").astype("datetime64[us]")
                out[c] = pd.Series(ts).where(~null, pd.NaT)
            elif t == DATE:
                out[c] = pd.Series(safe.astype("int64").astype("datetime64[s]").astype("datetime64[D]")).where(
                    ~null, pd.NaT)
            else:
                sec = safe.astype("int64").astype("datetime64[s]")
                text = np.datetime_as_string(sec, unit="s" if t == SFDT else "D").astype(object)
                if t == SFDT:
                    text = text + ".000+0000"
                text[null] = None
                out[c] = text
        else:
            out[c] = s.to_numpy(dtype=object) if s.dtype == object else s
    return pd.DataFrame(out)
