"""The REST API: one router module per resource, each included by ``create_app``.

Routes parse input, call one library function and shape its answer with
``armtrace.web.visibility.public_view``; they hold no logic of their own.
"""
