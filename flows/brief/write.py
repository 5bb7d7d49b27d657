"""Write the two files of one month's brief: `brief-YYYY-MM-<lang>.pdf` and `brief-YYYY-MM.json`.

    from flows.brief.write import write_brief
    pdf_path, json_path = write_brief(warehouse, "2025-03", out_dir)

Both files come from one findings dict (`findings.build_findings`), so the numbers
in the JSON, in the PDF and in the warehouse are the same.
"""

from __future__ import annotations

from pathlib import Path

from flows.brief.findings import build_findings, findings_json
from flows.brief.render import render_pdf, resolve_language


def write_brief(
    warehouse: Path, month: str, out_dir: Path, lang: str | None = None
) -> tuple[Path, Path]:
    """Write `brief-YYYY-MM-<lang>.pdf` and `brief-YYYY-MM.json` into `out_dir`.

    `lang` None means the company's language (report.rpt_brief__company). The
    warehouse is opened read-only. Raises BriefError when the report tables are
    missing or hold no data for `month`.
    """
    findings = build_findings(Path(warehouse), month)
    language = resolve_language(findings, lang)
    out_dir = Path(out_dir)
    out_dir.mkdir(parents=True, exist_ok=True)
    json_path = out_dir / f"brief-{findings['month']}.json"
    pdf_path = out_dir / f"brief-{findings['month']}-{language}.pdf"
    json_path.write_text(findings_json(findings), encoding="utf-8")
    render_pdf(findings, language, pdf_path)
    return pdf_path, json_path
