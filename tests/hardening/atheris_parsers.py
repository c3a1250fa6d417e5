"""Coverage-guided fuzzing (atheris, libFuzzer) of the marking parser and the date decoders.

Not a pytest module: scripts/reliability runs it when atheris is installed, e.g.
``python tests/hardening/atheris_parsers.py -runs=200000``. Any exception other than an
ArmtraceError is a crash; libFuzzer prints the input that caused it.
"""

from __future__ import annotations

import sys

import atheris

with atheris.instrument_imports():
    from armtrace.dating import decode_date_code, decode_item_year
    from armtrace.errors import ArmtraceError
    from armtrace.markings.identify import identify
    from armtrace.markings.parse import parse_marking


def one_input(data: bytes) -> None:
    """Feed one fuzzer input to every parser."""
    provider = atheris.FuzzedDataProvider(data)
    text = provider.ConsumeUnicodeNoSurrogates(provider.remaining_bytes())
    try:
        parse_marking(text)
        decode_date_code(text)
        decode_item_year(text)
        identify(text)
    except ArmtraceError:
        pass


if __name__ == "__main__":
    atheris.Setup(sys.argv, one_input)
    atheris.Fuzz()
