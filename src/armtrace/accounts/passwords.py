"""Password hashing with argon2id (memory-hard), via argon2-cffi.

Invariants:
- Only the encoded hash is stored; it carries its own salt and parameters, so raising the cost
  later re-hashes old passwords at their next login (``needs_rehash``).
- Verification of an unknown user still spends one hash, so timing does not reveal which names
  exist.
"""

from __future__ import annotations

from argon2 import PasswordHasher
from argon2.exceptions import InvalidHashError, VerificationError, VerifyMismatchError

# OWASP's recommended argon2id floor: 19 MiB, 2 passes, 1 lane. The RFC 9106 64 MiB profile took
# 0.5 s a login on the 2 shared cores here, which makes logins themselves a denial of service.
_HASHER = PasswordHasher(time_cost=2, memory_cost=19456, parallelism=1)
MIN_LENGTH = 10
_DUMMY = _HASHER.hash("armtrace-dummy-password")


def hash_password(password: str) -> str:
    """The argon2id hash of ``password`` (encoded string with salt and parameters)."""
    return _HASHER.hash(password)


def verify_password(encoded: str | None, password: str) -> bool:
    """Whether ``password`` matches ``encoded``; a missing hash still costs one verification."""
    try:
        return _HASHER.verify(encoded or _DUMMY, password) and encoded is not None
    except (VerifyMismatchError, VerificationError, InvalidHashError):
        return False


def needs_rehash(encoded: str) -> bool:
    """Whether a stored hash was made with weaker parameters than today's."""
    return _HASHER.check_needs_rehash(encoded)


def password_problem(password: str) -> str | None:
    """Why a new password is refused, or None when it is acceptable."""
    if len(password) < MIN_LENGTH:
        return f"a password needs at least {MIN_LENGTH} characters"
    if password.strip() != password:
        return "a password may not start or end with spaces"
    return None
