"""The server's own key, for secrets it must be able to read back (webhook signing secrets):
`LEGWORK_SECRET_KEY`, or else a key file made on first use (`LEGWORK_SECRET_KEY_FILE`, mode
0600). The database holds only what this key sealed, so a copy of the database — a backup, a
dump — reveals no secret without the key."""

import os
from functools import cache
from pathlib import Path

from cryptography.fernet import Fernet, InvalidToken

from app.config import get_settings


@cache
def _fernet(key: str | None, key_file: str) -> Fernet:
    if key:
        return Fernet(key.encode())
    path = Path(key_file)
    if not path.exists():
        fresh = Fernet.generate_key()
        try:
            descriptor = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
        except FileExistsError:  # another process made it first
            pass
        else:
            with os.fdopen(descriptor, "wb") as out:
                out.write(fresh)
    return Fernet(path.read_bytes().strip())


def _current() -> Fernet:
    settings = get_settings()
    return _fernet(settings.secret_key, settings.secret_key_file)


def seal(secret: str) -> bytes:
    return _current().encrypt(secret.encode())


def unseal(sealed: bytes) -> str:
    """The secret; ValueError when this server's key did not seal it."""
    try:
        return _current().decrypt(sealed).decode()
    except InvalidToken as exc:
        raise ValueError("sealed with another key") from exc
