"""Server-rendered pages of the investigators' workspace.

Every module here with a module-level ``router`` is included by ``armtrace.web.app.create_app``.
Routes parse input, call one read or write function, and render a template; what a viewer may
see is decided by ``armtrace.web.visibility.Audience``, applied inside the read functions.
"""
