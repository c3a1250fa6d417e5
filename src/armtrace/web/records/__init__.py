"""Read and write functions behind the API: records of the store shaped for an audience.

Invariants:
- Every read takes an ``Audience`` and applies ``Audience.item_filter()`` inside its query;
  shaping of fields (coordinates, notes, sources) is left to ``visibility.public_view``.
- Every write is audited with ``record_change`` in the same transaction.
"""
