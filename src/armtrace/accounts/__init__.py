"""Accounts of the web application: users with roles, sessions, CSRF tokens and API tokens.

Invariants:
- No secret is stored in clear: passwords as argon2id hashes, session and API tokens as SHA-256
  of 256-bit random values (a database dump cannot be replayed as a login).
- Every change to an account is written with ``record_change`` in the same transaction.
"""
