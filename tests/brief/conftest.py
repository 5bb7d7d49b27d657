"""A small warehouse holding only the report tables the brief reads.

The tables follow docs/architecture.md section 4 (schema `report`,
`rpt_brief__*`). Rows describe a plausible month (March 2025) of a French
jeans workshop: a rising repair signal with quotes, a breached target, an
offer bought well outside its intended segment; February 2025 is there too
so that month selection is tested.
"""

from __future__ import annotations

import shutil
import subprocess
from collections.abc import Iterable
from pathlib import Path
from typing import Any

import duckdb
import pytest

MONTH = "2025-03"
OTHER_MONTH = "2025-02"
# report_month values as stored (first day of the month)
M, OM = f"{MONTH}-01", f"{OTHER_MONTH}-01"

DDL = """
create schema report;

create table report.rpt_brief__company (
    company_name varchar, language varchar, currency varchar,
    first_data_date date, last_data_date date, last_complete_month date
);

create table report.rpt_brief__coverage (
    system varchar, entity varchar, row_count bigint, rejected_rows bigint,
    first_at timestamptz, last_at timestamptz
);

create table report.rpt_brief__offers (
    report_month date, offer_id varchar, offer_name varchar, offer_kind varchar,
    orders bigint, units bigint, revenue double, buyers bigint,
    off_target_buyers bigint, off_target_buyer_share double, off_target_revenue_share double,
    top_off_target_segment_id varchar, top_off_target_segment_label_fr varchar,
    top_off_target_segment_label_en varchar, top_off_target_segment_share double,
    returns bigint, return_rate double, repeat_rate double, tickets bigint,
    tickets_per_100_orders double, csat double, avg_rating double, reviews bigint,
    evidence_items bigint
);

create table report.rpt_brief__gaps (
    gap_id varchar, report_month date, offer_id varchar, offer_name varchar,
    gap_type varchar, metric varchar, segment_id varchar, expected_value double,
    actual_value double, gap_value double, direction varchar, is_breach boolean,
    sample_size bigint, gap_score double, gap_rank integer
);

create table report.rpt_brief__signals (
    report_month date, theme_id varchar, theme_label_fr varchar, theme_label_en varchar,
    signal_kind varchar, documents bigint, customers bigint, share double,
    baseline_documents double, baseline_share double, share_ratio double, z_score double,
    classification varchar, top_offer_id varchar, trend_documents bigint[]
);

create table report.rpt_brief__verbatims (
    report_month date, theme_id varchar, quote_rank integer, evidence_id varchar,
    evidence_source varchar, created_date date, offer_id varchar, quote varchar
);

create table report.rpt_brief__at_a_glance (
    report_month date, finding_rank integer, finding_type varchar, offer_id varchar,
    theme_id varchar, segment_id varchar, metric varchar, classification varchar,
    headline_value double, comparison_value double
);
"""

# fmt: off
COMPANY = [("Atelier Exemple", "fr", "EUR", "2024-01-03", "2025-04-12", "2025-03-01")]

COVERAGE = [
    ("shop", "customers", 1840, 0, "2024-01-03 09:12:00+00", "2025-04-10 17:40:00+00"),
    ("shop", "orders", 5213, 3, "2024-01-03 09:15:00+00", "2025-04-12 18:02:00+00"),
    ("shop", "order_lines", 9876, 0, "2024-01-03 09:15:00+00", "2025-04-12 18:02:00+00"),
    ("shop", "returns", 412, 0, "2024-01-19 10:00:00+00", "2025-04-09 11:30:00+00"),
    ("shop", "reviews", 903, 1, "2024-01-21 08:45:00+00", "2025-04-11 20:13:00+00"),
    ("crm", "accounts", 212, 0, "2024-01-05 14:00:00+00", "2025-03-30 09:00:00+00"),
    ("crm", "notes", 1290, 0, "2024-01-08 16:20:00+00", "2025-04-08 15:05:00+00"),
    ("support", "tickets", 1507, 0, "2024-01-04 08:01:00+00", "2025-04-12 16:44:00+00"),
    ("support", "ticket_comments", 4120, 0, "2024-01-04 08:30:00+00", "2025-04-12 17:10:00+00"),
]

OFFERS = [
    # report_month, offer_id, name, kind, orders, units, revenue, buyers, off_target_buyers,
    # off_target_buyer_share, off_target_revenue_share, top segment id, label fr, label en,
    # top segment share, returns, return_rate, repeat_rate, tickets, tickets/100, csat,
    # avg_rating, reviews, evidence_items
    (M, "raw-denim", "Jean brut", "core", 412, 468, 46380.0, 389, 117, 0.3008, 0.2741,
     "trades", "Artisans et pros", "Trades and professionals", 0.2262,
     41, 0.0876, 0.214, 29, 7.04, 0.83, 4.4, 57, 86),
    (M, "care-kit", "Kit d'entretien", "core", 138, 151, 3624.0, 131, 9, 0.0687, 0.061,
     "trades", "Artisans et pros", "Trades and professionals", 0.0687,
     3, 0.0199, 0.31, 2, 1.45, 0.92, 4.6, 18, 11),
    (M, "linen-limited", "Édition limitée lin", "experiment", 96, 104, 9360.0, 93, 0, 0.0,
     0.0, None, None, None, None, 14, 0.1346, 0.0, 6, 6.25, None, 3.9, 12, 19),
    (OM, "raw-denim", "Jean brut", "core", 377, 421, 41710.0, 360, 86, 0.2389, 0.2105,
     "trades", "Artisans et pros", "Trades and professionals", 0.1861,
     33, 0.0784, 0.205, 22, 5.84, 0.85, 4.4, 49, 61),
]

GAPS = [
    ("raw-denim|off_target_share|trades", M, "raw-denim", "Jean brut", "segment_mix",
     "off_target_share", "trades", 0.10, 0.3008, 0.2008, "above", True, 389, 8.7, 1),
    ("raw-denim|tickets_per_100_orders_max|", M, "raw-denim", "Jean brut", "target",
     "tickets_per_100_orders_max", None, 5.0, 7.04, 2.04, "above", True, 412, 4.2, 2),
    ("raw-denim|return_rate_max|", M, "raw-denim", "Jean brut", "target",
     "return_rate_max", None, 0.08, 0.0876, 0.0076, "above", True, 468, 3.1, 3),
    ("linen-limited|rating_min|", M, "linen-limited", "Édition limitée lin", "target",
     "rating_min", None, 4.2, 3.9, -0.3, "below", True, 12, 2.5, 4),
    ("linen-limited|return_rate_max|", M, "linen-limited", "Édition limitée lin", "target",
     "return_rate_max", None, 0.10, 0.1346, 0.0346, "above", True, 104, 2.2, 5),
    ("raw-denim|monthly_units|", M, "raw-denim", "Jean brut", "target",
     "monthly_units", None, 300.0, 468.0, 168.0, "above", False, 412, 0.4, 6),
    ("care-kit|repeat_rate_min|", M, "care-kit", "Kit d'entretien", "target",
     "repeat_rate_min", None, 0.25, 0.31, 0.06, "above", False, 131, 0.2, 7),
    ("raw-denim|off_target_share|trades", OM, "raw-denim", "Jean brut", "segment_mix",
     "off_target_share", "trades", 0.10, 0.2389, 0.1389, "above", True, 360, 6.1, 1),
]

SIGNALS = [
    (M, "repair", "Réparation", "Repair", "adapt", 64, 51, 0.112, 21.5, 0.041, 2.73, 4.8,
     "rising", "raw-denim", [12, 15, 18, 14, 20, 22, 19, 25, 31, 38, 47, 64]),
    (M, "workwear", "Usage professionnel", "Work use", "transform", 37, 33, 0.065, 18.0,
     0.036, 1.81, 2.6, "rising", "raw-denim", [9, 11, 10, 14, 13, 15, 17, 16, 20, 24, 29, 37]),
    (M, "local-shops", "Commerces locaux", "Local shops", "suggest", 14, 12, 0.0245, 13.2,
     0.025, 0.98, -0.1, "stable", "care-kit", [11, 13, 15, 12, 14, 13, 12, 15, 14, 13, 12, 14]),
    (M, "sizing", "Tailles", "Sizing", "reject", 22, 20, 0.0385, 31.0, 0.061, 0.63, -2.3,
     "falling", "linen-limited", [34, 30, 33, 29, 35, 31, 32, 30, 28, 27, 25, 22]),
    (M, "resale", "Revente", "Resale", "circumvent", 3, 3, 0.0052, 2.1, 0.004, 1.3, 0.4,
     "insufficient_data", None, [0, 0, 0, 1, 2, 1, 3, 2, 1, 2, 4, 3]),
    (OM, "repair", "Réparation", "Repair", "adapt", 47, 40, 0.089, 19.0, 0.038, 2.34,
     3.9, "rising", "raw-denim", [10, 12, 15, 18, 14, 20, 22, 19, 25, 31, 38, 47]),
]

VERBATIMS = [
    (M, "repair", 1, "rev-8812", "review", "2025-03-28", "raw-denim",
     "J'ai fait recoudre l'entrejambe chez une couturière : ce jean vaut bien qu'on le "
     "répare. Vous pourriez proposer ce service directement ?"),
    (M, "repair", 2, "tkt-4410", "ticket", "2025-03-21", "raw-denim",
     "Deuxième trou au genou en un an de chantier. Je pose des pièces moi-même, un kit de "
     "réparation vendu avec le jean serait parfait."),
    (M, "repair", 3, "note-2291", "crm_note", "2025-03-09", "raw-denim",
     "Le client demande si on peut raccommoder son jean plutôt que de l'échanger. "
     "Contact : [email]."),
    (M, "workwear", 1, "note-2310", "crm_note", "2025-03-25", "raw-denim",
     "Ils équipent toute l'équipe de l'atelier en jean brut : ça tient mieux que leurs "
     "pantalons de travail."),
    (M, "workwear", 2, "cmt-9917", "ticket_comment", "2025-03-14", "raw-denim",
     "Est-ce possible d'avoir des poches renforcées pour les outils ?"),
    (M, "local-shops", 1, "rev-8790", "review", "2025-03-18", "care-kit",
     "J'aimerais pouvoir acheter le kit chez un commerçant de mon quartier."),
    (M, "sizing", 1, "ret-1203", "return_reason", "2025-03-11", "linen-limited",
     "Taille trop petite, la coupe lin ne correspond pas au guide des tailles."),
    (M, "resale", 1, "rev-8801", "review", "2025-03-02", None,
     "Vu sur un site de revente <b>à moitié prix</b> & en parfait état."),
    (OM, "repair", 1, "rev-8555", "review", "2025-02-17", "raw-denim",
     "Un service de réparation me ferait rester fidèle à la marque."),
]

AT_A_GLANCE = [
    (M, 1, "gap", "raw-denim", None, "trades", "off_target_share", "off_target", 0.3008, 0.10),
    (M, 2, "signal", "raw-denim", "repair", None, "recent_share", "rising", 0.112, 0.041),
    (M, 3, "gap", "raw-denim", None, None, "tickets_per_100_orders_max", "breach", 7.04, 5.0),
    (M, 4, "gap", "linen-limited", None, None, "rating_min", "breach", 3.9, 4.2),
    (M, 5, "signal", "raw-denim", "workwear", None, "recent_offer_share", "rising", 0.065, 0.036),
    (M, 6, "signal", "linen-limited", "sizing", None, "recent_share", "falling", 0.0385, 0.061),
    (OM, 1, "gap", "raw-denim", None, "trades", "off_target_share", "off_target", 0.2389,
     0.10),
]

# fmt: on

TABLE_ROWS: dict[str, list[tuple[Any, ...]]] = {
    "rpt_brief__company": COMPANY,
    "rpt_brief__coverage": COVERAGE,
    "rpt_brief__offers": OFFERS,
    "rpt_brief__gaps": GAPS,
    "rpt_brief__signals": SIGNALS,
    "rpt_brief__verbatims": VERBATIMS,
    "rpt_brief__at_a_glance": AT_A_GLANCE,
}


def make_report_warehouse(
    path: Path,
    extra_verbatims: Iterable[tuple[Any, ...]] = (),
    tables: Iterable[str] | None = None,
) -> Path:
    """Create a DuckDB file at `path` with the report tables filled from the rows above."""
    wanted = set(TABLE_ROWS if tables is None else tables)
    con = duckdb.connect(str(path))
    try:
        con.execute("set TimeZone = 'UTC'")
        for statement in DDL.split(";"):
            name = next((t for t in TABLE_ROWS if f"report.{t} " in statement), None)
            if statement.strip() and (name is None or name in wanted):
                con.execute(statement)
        for table, rows in TABLE_ROWS.items():
            if table not in wanted:
                continue
            if table == "rpt_brief__verbatims":
                rows = [*rows, *extra_verbatims]
            marks = ", ".join("?" * len(rows[0]))
            con.executemany(f"insert into report.{table} values ({marks})", rows)
    finally:
        con.close()
    return path


@pytest.fixture(scope="session")
def report_warehouse(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return make_report_warehouse(tmp_path_factory.mktemp("warehouse") / "terrain.duckdb")


def _poppler(tool: str) -> str:
    found = shutil.which(tool)
    if not found:
        pytest.fail(f"{tool} not found: install poppler-utils (apt-get install poppler-utils)")
    return found


def pdf_text(pdf: Path) -> str:
    """The text of a PDF (pdftotext, reading order)."""
    return subprocess.run(
        [_poppler("pdftotext"), "-enc", "UTF-8", str(pdf), "-"],
        check=True,
        capture_output=True,
        text=True,
    ).stdout


def pdf_pages(pdf: Path) -> int:
    info = subprocess.run(
        [_poppler("pdfinfo"), str(pdf)], check=True, capture_output=True, text=True
    ).stdout
    return int(next(line for line in info.splitlines() if line.startswith("Pages:")).split()[1])


def squash(text: str) -> str:
    """Text without any whitespace, so line wrapping does not matter in comparisons."""
    return "".join(text.split())
