"""Tracing: trace requests, disclosure terms, request letters and custody chains.

Public interface (other modules import these names from their modules):
- ``requests``: ``Recipient``, ``create_request``, ``get_request``, ``list_requests``.
- ``transitions``: ``send``, ``acknowledge``, ``answer``, ``refuse``, ``send_for_reply``,
  ``record_reply``, ``lapse_reply``; every one takes ``actor`` and ``today``.
- ``custody``: ``TransferSpec``, ``add_transfer``, ``chain_companies``, ``mark_diversion``.
- ``chains``: ``item_chains``; ``views``: ``chains_for`` and ``request_for`` (audience-aware).
- ``disclosure``: ``public_name``, ``load_policy``, ``redact_chain``, ``redact_request``,
  ``set_terms``.
- ``diagram``: ``render_chain_svg``, ``render_timeline_svg``; ``letter``: ``write_letter``.
- ``exercise``: ``load_exercise_trace`` (EXERCISE data for the demo).
"""
