"""Spreadsheets as a source of their own: a T-C table as it was printed in a sheet (.xlsx, .ods, .csv,
.html) read into one grid (grid.py), its header found (kepala.py), its rows read as printed values
(tabel.py), every printed value checked (periksa.py) and imported into a document's YAML (impor.py).

The findings name the place the user sees: `draf.xlsx:Sheet1!M14` in a workbook, `draf.csv:14` in a
text file. Nothing here replaces a printed value: what the sheet says is kept and compared."""
