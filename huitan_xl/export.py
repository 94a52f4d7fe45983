"""`huitan export WB --to csv|xlsx DIR`: the tables of `frames` written for Excel users.

csv:  one file per table, DIR/<table>.csv, UTF-8 with a byte-order mark (Excel then opens the
      Chinese correctly), dates as 2026-03-09, 是/否 for yes/no, blank for nothing.
xlsx: one workbook DIR/<workbook name>_导出.xlsx with a sheet per table, dates as dates.
The register workbook itself is only read.
"""
from __future__ import annotations

import os
from datetime import date
from pathlib import Path

import pandas as pd

from .dataframes import frames

FORMATS = ("csv", "xlsx")
DATE_FORMAT = "%Y-%m-%d"


def for_staff(frame: pd.DataFrame) -> pd.DataFrame:
    """The frame as staff read it: 是/否 for the boolean columns (blank where unknown)."""
    out = frame.copy()
    for col in out.columns:
        if str(out[col].dtype) == "boolean":
            out[col] = out[col].map({True: "是", False: "否"}).astype(object)
    return out


def export(path: Path | str, to: str, folder: Path | str, as_of: date,
           password: str | None = None) -> list[Path]:
    """Write the tables of `frames(path, as_of)` into `folder` as CSV files or one .xlsx;
    returns the files written. ValueError for an unknown format."""
    if to not in FORMATS:
        raise ValueError(f"导出格式只能是 csv 或 xlsx（收到“{to}”）")
    tables = {name: for_staff(frame) for name, frame in frames(path, as_of=as_of, password=password).items()}
    folder = Path(folder)
    folder.mkdir(parents=True, exist_ok=True)
    if to == "csv":
        written = []
        for name, frame in tables.items():
            target = folder / f"{name}.csv"
            _replace(target, lambda tmp: frame.to_csv(tmp, index=False, encoding="utf-8-sig",
                                                      date_format=DATE_FORMAT))
            written.append(target)
        return written
    target = folder / f"{Path(path).stem}_导出.xlsx"
    _replace(target, lambda tmp: _write_xlsx(tmp, tables))
    return [target]


def _write_xlsx(target: Path, tables: dict[str, pd.DataFrame]) -> None:
    with pd.ExcelWriter(target, engine="xlsxwriter", datetime_format="yyyy-mm-dd",
                        date_format="yyyy-mm-dd") as writer:
        for name, frame in tables.items():
            frame.to_excel(writer, sheet_name=name, index=False)
            ws = writer.sheets[name]
            ws.freeze_panes(1, 0)
            for i, col in enumerate(frame.columns):
                ws.set_column(i, i, min(40, max(8, 2 * len(str(col)) + 2)))


def _replace(target: Path, write) -> None:
    """Write through a temporary file beside `target`, then replace it: a reader never sees
    half a file."""
    tmp = target.with_name(f".{target.name}.tmp")
    try:
        write(tmp)
        os.replace(tmp, target)
    finally:
        if tmp.exists():
            tmp.unlink()
