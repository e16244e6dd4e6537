"""Landing: what the warehouse holds at the story end (the latest version of every record changed by
then), the faults a real sync brings, recorded row by row, then every table written to DuckDB.

Faults are drawn row by row from a hash of (seed, table, fault, row key), never from a running random
stream, so a row that is landed by some day gets the same faults whatever the story end.
"""
from __future__ import annotations

import hashlib

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
    columns,
)
from revops_tools.generator.world import DAY, HOUR, MUTABLE, World, as_dict, as_tuple, b62

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
select * replace (_fivetran_synced - interval 5 hour as _fivetran_synced)
from raw_web.pages where hash(id, {seed}, 'dup') % 500 = 0 and id not like 'pg-x%';
"""
DELETABLE = {"is_deleted", "_fivetran_deleted"}
HANDLING = {"null_key": "reject", "orphan_fk": "reject", "close_before_create": "reject",
            "unknown_currency": "reject", "negative_quantity": "reject", "negative_amount": "reject"}


# The key of a record: its versions share it, and the warehouse holds one row per key (plus faults).
HISTORY_KEY = ("id", "_fivetran_start")


def record_key(table: str) -> tuple[str, ...]:
    if table in NATURAL_KEYS:
        return NATURAL_KEYS[table]
    if table in ("raw_stripe.subscription_history", "raw_stripe.subscription_item"):
        return HISTORY_KEY
    return ("id",)


def _key_hashes(keys: list[str]) -> np.ndarray:
    return pd.util.hash_pandas_object(pd.Series(keys, dtype=object), index=False).to_numpy()


def _unit(seed: int, table: str, kind: str, keys: list | np.ndarray) -> np.ndarray:
    """A uniform number in [0, 1) per key, a hash of (seed, table, kind, key): the same for a row
    whatever else the table holds. `keys` may be their _key_hashes already."""
    h = keys if isinstance(keys, np.ndarray) else _key_hashes(keys)
    salt = hashlib.blake2b(f"{seed}|{table}|{kind}".encode(), digest_size=8).digest()
    x = h ^ np.uint64(int.from_bytes(salt, "big"))
    # splitmix64's finaliser: every bit of the key and the salt reaches every bit of the result
    with np.errstate(over="ignore"):
        x = (x ^ (x >> np.uint64(30))) * np.uint64(0xBF58476D1CE4E5B9)
        x = (x ^ (x >> np.uint64(27))) * np.uint64(0x94D049BB133111EB)
    x = x ^ (x >> np.uint64(31))
    return (x >> np.uint64(11)).astype(np.float64) / float(2**53)


class Lander:
    def __init__(self, w: World):
        self.w = w
        self.world_keys: dict[str, list[str]] = {}  # every record of the simulated world, whatever the end
        self._keys_cache: dict[str, tuple[list, list[str]]] = {}
        self._world_hashes: dict[str, np.ndarray] = {}

    def _frame_keys(self, table: str, f: pd.DataFrame) -> list[str]:
        if table in NATURAL_KEYS:
            cols = NATURAL_KEYS[table]
            day = (f[cols[0]].to_numpy().astype("int64").astype("datetime64[s]").astype("datetime64[D]")
                   .astype(str))
            return [f"{d}|{c}" for d, c in zip(day, f[cols[1]].astype(str))]
        return [str(k) for k in f["id"].tolist()]

    def _selected(self, table: str, kind: str, share: float, minimum: int) -> set[str]:
        """The records a fault hits: those whose hash falls below the catalogue's share, and at least the
        `minimum` lowest, drawn among the records of the whole simulated world so that a record's faults
        do not depend on the story end. Tables of fewer than ten records get none."""
        keys = self.world_keys[table]
        if len(keys) < 10:
            return set()
        if table not in self._world_hashes:
            self._world_hashes[table] = _key_hashes(keys)
        u = _unit(self.w.seed, table, kind, self._world_hashes[table])
        chosen = set(np.flatnonzero(u < share).tolist()) | set(np.argsort(u, kind="stable")[:minimum].tolist())
        return {keys[i] for i in chosen}

    # the warehouse at the story end ----------------------------------------------------------------
    def observe(self) -> None:
        """Keeps, per record, the latest version changed by the story end (ties: the later one)."""
        w = self.w
        b = w.buf
        end = w.end
        for table in TABLES:
            if table in b.frames:
                f = b.frames[table]
                if table != "raw_web.pages":
                    self.world_keys[table] = sorted(set(self._frame_keys(table, f)))
                b.frames[table] = f[f["_at"] <= end].drop(columns="_at").reset_index(drop=True)
                continue
            rows = b.rows[table]
            cols = columns(table)
            idx = [cols.index(c) for c in record_key(table)]
            latest: dict = {}
            every: set = set()
            mutable = table in MUTABLE
            for i, row in enumerate(rows):
                if mutable:
                    at = row["_at"]
                    row = tuple(row[c] for c in cols)
                else:
                    at = row[-1]
                    row = row[:-1]
                key = row[idx[0]] if len(idx) == 1 else tuple(row[j] for j in idx)
                every.add(key)
                if at > end:
                    continue
                seen = latest.get(key)
                if seen is None or at >= seen[0]:
                    latest[key] = (at, i, row)
            self.world_keys[table] = sorted("|".join(map(str, k)) if isinstance(k, tuple) else str(k) for k in every)
            b.rows[table] = [r for _, _, r in sorted(latest.values(), key=lambda v: v[1])]
        # Truth about records the warehouse does not hold yet is dropped too.
        visible = {t: {r[0] for r in b.rows[t]} for t in TABLES if t not in b.frames and t not in NATURAL_KEYS}
        user_col = columns("raw_web.identifies").index("user_id")
        visible["raw_web.identifies"] = {r[user_col] for r in b.rows["raw_web.identifies"]}
        visible["raw_stripe.subscription_history"] = {r[0] for r in b.rows["raw_stripe.subscription_history"]}
        b.source_records = [s for s in b.source_records if s[1] in visible.get(s[0], ())]
        b.faults = [f for f in b.faults if f[1] in visible.get(f[0], ())]
        self.company_of: dict[tuple[str, str], str] = {(t, i): c for t, i, c in b.source_records}

    # new ids for injected rows, from the original's key -----------------------------------------------
    def new_id(self, table: str, like: str, h: float) -> str:
        """An id for an injected row, drawn from h: in the original's key prefix and Salesforce pod (its
        shard's); numeric ids in 9e11 + [0, 1e11), and for shard k > 0 '9', k and 11 digits, which no
        generated id (num_id stays below 9e11) and no other shard's injected id can equal."""
        n = int(h * 2**53)
        if table.startswith("raw_salesforce"):
            return f"{like[:7]}{b62(n % 62**11, 11)}"
        if table.startswith("raw_stripe"):
            return f"{like.split('_')[0]}_{b62(n % 62**14, 14)}"
        if table == "raw_web.pages":
            return f"pg-{n:016x}"
        if self.w.shard:
            return f"9{self.w.shard:03d}{n % 10**11:011d}"
        return str(900_000_000_000 + n % 10**11)

    def inject(self) -> None:
        """Adds the faulty rows. Each injected row carries exactly one fault: re-synced duplicates are
        copies of the story's own rows, broken rows are clones of them under new ids."""
        w = self.w
        b = w.buf
        originals = {t: (b.frames[t] if t in b.frames else list(b.rows[t])) for t in TABLES}
        for table in TABLES:
            if table == "raw_web.pages":
                continue
            if table in b.frames:
                self._duplicate_frame(table)
                continue
            rows = originals[table]
            for row, u in self._pick(table, rows, "duplicate_load", 0.004, 1):
                clone = as_dict(table, row)
                # A re-sync landed the same record again, before the copy that is current.
                clone["_fivetran_synced"] = clone["_fivetran_synced"] - (1 + 47 * u) * HOUR
                b.rows[table].append(clone)
                b.fault(table, self._key(table, clone), "duplicate_load", "dedupe")
        for table, kind, cols, how, share in BROKEN_CLONES:
            self._broken(table, kind, cols, how, share, originals[table])
        for table, cols in TABLES.items():
            names = {c for c, _ in cols}
            flag = next((c for c in names if c in DELETABLE), None)
            if flag and table not in b.frames and originals[table]:
                for row, u in self._pick(table, originals[table], "soft_delete", 0.003, 2):
                    clone = as_dict(table, row)
                    original = clone["id"]
                    clone["id"] = self.new_id(table, original, u)
                    clone[flag] = True
                    self._append(table, clone, original, "soft_delete", "delete")

    def _row_keys(self, table: str, rows: list) -> list[str]:
        """The record key of each landed row, as text (cached: several faults look at one table)."""
        cached = self._keys_cache.get(table)
        if cached is not None and cached[0] is rows:
            return cached[1]
        cols = columns(table)
        idx = [cols.index(c) for c in record_key(table)]
        if len(idx) == 1:
            j = idx[0]
            keys = [str(r[j]) for r in rows]
        else:
            keys = ["|".join(str(r[j]) for j in idx) for r in rows]
        self._keys_cache[table] = (rows, keys)
        return keys

    def _pick(self, table: str, rows: list, kind: str, share: float, minimum: int) -> list[tuple[tuple, float]]:
        """The landed rows a fault hits (each with a second uniform number, for the fault's own draws)."""
        selected = self._selected(table, kind, share, minimum)
        if not selected or not rows:
            return []
        keys = self._row_keys(table, rows)
        chosen = [i for i, k in enumerate(keys) if k in selected]
        second = _unit(self.w.seed, table, kind + "#", [keys[i] for i in chosen])
        return [(rows[i], float(v)) for i, v in zip(chosen, second)]

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

    def _broken(self, table, kind, cols, how, share, originals) -> None:
        w = self.w
        b = w.buf
        if table in b.frames:
            f = b.frames[table]
            keys = self._frame_keys(table, originals)
            selected = self._selected(table, kind, share, 2)
            hit = np.array([i for i, k in enumerate(keys) if k in selected], dtype=np.int64)
            pick = originals.iloc[hit].copy()
            second = _unit(w.seed, table, kind + "#", [keys[i] for i in hit.tolist()])
            pick["id"] = [self.new_id(table, "x", float(v)) for v in second]
            for c in (cols if isinstance(cols, tuple) else (cols,)):
                pick[c] = None
            b.frames[table] = pd.concat([f, pick], ignore_index=True)
            for i in pick["id"]:
                b.fault(table, i, kind, HANDLING[kind])
            return
        for row, u in self._pick(table, originals, kind, share, 2):
            clone = as_dict(table, row)
            original = clone["id"]
            clone["id"] = self.new_id(table, original, u)
            for c in (cols if isinstance(cols, tuple) else (cols,)):
                if how is None:
                    clone[c] = None
                elif how == "negate":
                    clone[c] = -abs(clone[c] or 1)
                elif how == "before_created":
                    clone[c] = clone["created_date"] - (3 + 57 * u) * DAY
                elif how.startswith("orphan:"):
                    prefix = how.split(":")[1]
                    n = int(u * 2**53)
                    clone[c] = (f"{prefix}5g0Z{b62(n % 62**11, 11)}" if table.startswith("raw_salesforce")
                                else f"{prefix}_MISSING{n % 10**8:08d}")
                else:
                    clone[c] = how
            self._append(table, clone, original, kind, HANDLING[kind])

    def _duplicate_frame(self, table: str) -> None:
        w = self.w
        b = w.buf
        f = b.frames[table]
        keys = self._frame_keys(table, f)
        selected = self._selected(table, "duplicate_load", 0.002, 1)
        hit = np.array([i for i, k in enumerate(keys) if k in selected], dtype=np.int64)
        pick = f.iloc[hit].copy()
        lag = _unit(w.seed, table, "duplicate_load#", [keys[i] for i in hit.tolist()])
        pick["_fivetran_synced"] = pick["_fivetran_synced"] - (1 + 47 * lag) * HOUR
        b.frames[table] = pd.concat([f, pick], ignore_index=True)
        for i in hit.tolist():
            b.fault(table, keys[i], "duplicate_load", "dedupe")

    # writing ---------------------------------------------------------------------------------------
    def write(self, path: str, progress, runs: list[dict] | None = None) -> dict[str, int]:
        """Writes every raw table, the truth, and truth.generation_runs (`runs`, this run included)."""
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
            _write_truth(con, table, df)
            counts[table] = len(df)
        counts[RUNS] = write_runs(con, runs or [])
        con.execute("checkpoint")
        con.close()
        return counts


    def _write_pages(self, con) -> int:
        from revops_tools.generator.marketing import page_views_sql

        w = self.w
        # Sessions started by the story end; their page views land minutes later.
        con.register("sessions", w.sessions_frame[w.sessions_frame["start"] <= w.end])
        select = ", ".join(f'cast("{c}" as {_sql_type(t)}) as "{c}"' for c, t in TABLES["raw_web.pages"])
        con.execute(f"create table raw_web.pages as select {select} from ({page_views_sql(w.seed, w.shard)})")
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


RUNS = "truth.generation_runs"


def latest_sync(con) -> object:
    """The latest `_fivetran_synced` of every raw table (a tiny world may leave some table empty)."""
    union = " union all ".join(f"select max(_fivetran_synced) as synced from {t}" for t in TABLES)
    return con.execute(f"select max(synced) from ({union})").fetchone()[0]


def write_runs(con, runs: list[dict]) -> int:
    """Writes truth.generation_runs: `runs`, the last of them (this run) completed with the latest load
    of the raw tables already written. Returns the row count."""
    runs = [dict(r) for r in runs]
    runs[-1]["last_sync_at"] = latest_sync(con)
    _write_truth(con, RUNS, pd.DataFrame(runs, columns=[c for c, _ in TRUTH_TABLES[RUNS]]))
    return len(runs)


def _write_truth(con, table: str, df: pd.DataFrame) -> None:
    schema, name = table.split(".")
    select = ", ".join(f'cast("{c}" as {t}) as "{c}"' for c, t in TRUTH_TABLES[table])
    con.register("frame", df)
    con.execute(f'create table {schema}."{name}" as select {select} from frame')
    con.unregister("frame")


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
