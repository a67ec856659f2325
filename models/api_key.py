"""API keys: who may change data. Only a digest of each key is stored, never the key itself.

A key reads `ck_<prefix>_<secret>`: the prefix (8 characters) names the key in listings and logs,
the secret (43 characters, 256 random bits) is what proves possession. Because the secret is
that long, a plain SHA-256 digest cannot be reversed by guessing; no slow password hash is needed.
"""

import hashlib
import hmac
import re
import secrets
import string
from datetime import datetime, timedelta

from peewee import CharField, IntegrityError, OperationalError

from models.base import Table, UTCDateTimeField, one_of, utcnow
from models.db import database

SCOPES = ("read", "write", "admin")  # each scope allows everything the ones before it allow
KEY_PATTERN = re.compile(r"ck_(?P<prefix>[a-z0-9]{8})_[A-Za-z0-9_-]{43}")
PREFIX_ALPHABET = string.ascii_lowercase + string.digits
LAST_USE_PRECISION = timedelta(minutes=1)  # so that reads do not write on every request


def digest(key: str) -> str:
    return hashlib.sha256(key.encode("utf-8")).hexdigest()


class ApiKey(Table):
    name = CharField(max_length=200)
    prefix = CharField(max_length=8, unique=True)
    key_sha256 = CharField(max_length=64)
    scope = CharField(max_length=8, constraints=[one_of("scope", SCOPES)])
    created_at = UTCDateTimeField(default=utcnow)
    last_used_at = UTCDateTimeField(null=True)
    revoked_at = UTCDateTimeField(null=True)

    class Meta:
        table_name = "api_key"

    @classmethod
    def issue(cls, name: str, scope: str) -> tuple["ApiKey", str]:
        """A new stored key and its plain text, which exists only in the caller's hands."""
        if scope not in SCOPES:
            raise ValueError(f"scope must be one of {', '.join(SCOPES)}")
        while True:
            prefix = "".join(secrets.choice(PREFIX_ALPHABET) for _ in range(8))
            key = f"ck_{prefix}_{secrets.token_urlsafe(32)}"
            try:
                with database.atomic():
                    row = cls.create(name=name, prefix=prefix, key_sha256=digest(key), scope=scope)
            except IntegrityError:
                continue  # the prefix is taken (about one chance in 10^12): draw another
            return row, key

    @classmethod
    def authenticate(cls, key: str) -> "ApiKey | None":
        """The live key whose text is `key`, or None; the digests are compared in constant
        time, and `last_used_at` is brought up to date (at most once a minute, see note_use)."""
        match = KEY_PATTERN.fullmatch(key)
        if match is None:
            return None
        row = cls.get_or_none(cls.prefix == match["prefix"])
        if row is None or not hmac.compare_digest(row.key_sha256, digest(key)):
            return None
        if row.revoked_at is not None:
            return None
        now = utcnow()
        if row.last_used_at is None or now - row.last_used_at > LAST_USE_PRECISION:
            row.note_use(now)
        return row

    def note_use(self, now: datetime) -> None:
        """Record `now` as this key's last use if that takes no wait: a read must not wait
        for a lock that another writer holds, so while one does, the key's next request
        notes its use instead."""
        update = ApiKey.update(last_used_at=now)
        if database.for_update:
            # PostgreSQL: a row that another transaction holds is skipped, not waited for.
            free = ApiKey.select(ApiKey.id).where(ApiKey.id == self.id).for_update(skip_locked=True)
            noted = update.where(ApiKey.id.in_(free)).execute()
        else:
            noted = updated_unless_locked(update.where(ApiKey.id == self.id))
        if noted:
            self.last_used_at = now

    def allows(self, scope: str) -> bool:
        """Whether this key's scope includes `scope` (read < write < admin)."""
        return SCOPES.index(self.scope) >= SCOPES.index(scope)

    def revoke(self) -> bool:
        """Refuse this key from now on; False if it was already revoked."""
        if self.revoked_at is not None:
            return False
        self.revoked_at = utcnow()
        self.save()
        return True


def updated_unless_locked(update) -> int:
    """Run `update` on SQLite if the write lock is free at once; the rows it changed, or 0
    while another connection holds the lock."""
    connection = database.connection()
    (waits,) = connection.execute("PRAGMA busy_timeout").fetchone()
    connection.execute("PRAGMA busy_timeout = 0")
    try:
        return update.execute()
    except OperationalError as error:
        if str(error) != "database is locked":
            raise
        return 0
    finally:
        connection.execute(f"PRAGMA busy_timeout = {waits}")
