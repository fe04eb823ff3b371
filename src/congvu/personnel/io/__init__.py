"""Import and export of people, units and job positions in the spreadsheets HR offices use.

- :mod:`.importing`: ``import_people``, ``import_units``, ``import_positions`` (all or nothing, every bad
  cell reported as a :class:`~.report.CellError`).
- :mod:`.exporting`: ``export_people``, ``export_units``, ``export_positions`` (the layout the importers
  read, so that export → import is a round trip).
- :mod:`.samples`: files for tests and benchmarks.

The file format is described for HR staff in ``docs/import-format.md``. Nothing is imported here, so
that the pure parts (:mod:`.cells`, :mod:`.headers`, :mod:`.table`) load without Django.
"""
