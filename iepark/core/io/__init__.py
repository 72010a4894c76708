"""
Bulk import and export of organisations, people, students and teachers (Excel .xlsx and CSV).

- ``importers``: the file formats (columns, accepted titles and values), file
  reading, row validation and the all-or-nothing write through the services.
- ``exporters``: the policy-scoped lists as .xlsx or UTF-8 CSV, streamed.
- ``tasks``: the ``import`` background job and the service that starts it.
"""
