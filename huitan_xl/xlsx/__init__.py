"""The xlsx package layer: a workbook as a zip of XML parts, patched part by part.

  package.py      the zip: parts copied as stored unless changed; content types, relationships
  file_check.py   is this file a usable workbook at all? (exit 2 cases; Excel's lock file)
  sheet_patch.py  streaming patch of one worksheet's cells, row by row (owned cells)
  sheet_parts.py  the rest of a patched sheet: <dimension>, column widths, conditional marks
  sheet_xml.py    what the sheet writers share: CellWrite, edits, text/number forms, column letters
  styles.py       appends (and reuses) styles in styles.xml; never renumbers existing ones
  workbook_xml.py workbook.xml: sheet list, defined names, protection
  transplant.py   builds tool-owned sheets with XlsxWriter in a scratch book and moves them in

write.py (one level up) is the only caller that changes a workbook.
"""
