"""Bulk imports: the CAF's list of people locked out with an NIA, and the CPAM's certification notices.

- ``files``: reading a CSV file (UTF-8 with or without BOM, ``;`` or ``,``), the report file and the progress bar.
- ``fields``: parsers for one value (partial birth dates, phones, e-mails, benefit codes), pure and fast.
- ``rows``: validation of one row of the people file, pure Python (no database), so that it runs in a thread.
- ``people``: the people importer (classification against the registry, pipeline, summary).
- ``writers``: writing the new people, their NIA, case and opening event: set-based SQL from a temporary staging
  table on PostgreSQL, ``bulk_create`` in batches elsewhere.
- ``certifications``: recording certified NIRs from a file through the case services.

Decisions (the issue leaves them open):

- An existing person is never modified by the people import, except that an NIA is attached to a person found by
  caisse and beneficiary number who holds none, and that a case is opened for a person who never had one. The file
  is an extract that may be older than what an agent typed: blank contact fields are *not* filled in.
- A person whose case was closed is reported as already present and no new case is opened: closing (duplicate,
  left France, deceased…) is an agent's decision that a re-import must not undo; the agent reopens the case if needed.
- "The same person" for an NIA already in the registry means: same caisse, same beneficiary number (both blank
  counts as the same), same birth name once folded (``cafcases.text.search_key``) and same birth year. Anything else
  is a conflict and the row is rejected, never merged.
- The NIA's issue date is not in the file: ``issued_on`` stays empty, so the 9-month NIA clock starts only when an
  agent records the date; the case's priority then comes from the benefits at risk.
- The place of birth inside the NIA (department 99 + country) is not compared with ``pays_naissance``: old numbers
  carry codes of countries that no longer exist, and agents correct the country when they certify.
"""
