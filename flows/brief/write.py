"""Write the two files of one month's brief: `brief-YYYY-MM-<lang>.pdf` and `brief-YYYY-MM.json`.

    from flows.brief.write import write_brief
    pdf_path, json_path = write_brief(warehouse, "2025-03", out_dir)

Both files come from one findings dict (`findings.build_findings`), so the numbers
in the JSON, in the PDF and in the warehouse are the same. Both are rendered in
memory, then written to temporary files and renamed into place, the JSON last
(`flows.outputs`): a kill, a full disk or an out-of-memory error at any moment leaves
the previous month's pair as it was, never a truncated PDF or a new JSON beside an
old PDF.
"""

from __future__ import annotations

from pathlib import Path

from flows import faults
from flows.brief.findings import build_findings, findings_json
from flows.brief.render import pdf_bytes, resolve_language
from flows.outputs import write_files_atomically


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
    json_path = out_dir / f"brief-{findings['month']}.json"
    pdf_path = out_dir / f"brief-{findings['month']}-{language}.pdf"
    pdf = pdf_bytes(findings, language)
    faults.reached("brief.rendered")
    write_files_atomically([(pdf_path, pdf), (json_path, findings_json(findings).encode("utf-8"))])
    return pdf_path, json_path
