"""The agreement figures as CSV rows: what ``annotator agreement -o FILE.csv`` and the window's
Agreement panel ("Export CSV…") both write, so the two files cannot drift apart.

The rows are ``report_rows`` (scope, document, label, a, b, measure, value); an undefined
figure is an empty value. The file is replaced atomically: a reader never sees half of it.
"""

from __future__ import annotations

import csv
from pathlib import Path

from .agreement import AgreementReport, report_rows
from .atomic import atomic_writer


def write_agreement_csv(report: AgreementReport, path: Path) -> int:
    """Write every figure of ``report`` to ``path``; returns the number of rows written."""
    rows = report_rows(report)
    with atomic_writer(path, newline="") as out:
        writer = csv.DictWriter(out, fieldnames=list(rows[0]) if rows else ["scope"])
        writer.writeheader()
        writer.writerows(rows)
    return len(rows)
