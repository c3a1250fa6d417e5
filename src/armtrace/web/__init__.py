"""The web application: a REST API (``web.api``) and server-rendered pages (``web.pages``).

Build it with ``armtrace.web.app.create_app``; run it with ``armtrace serve``.
"""
