"""Idempotency records: the first answer to a POST sent with an `Idempotency-Key`, kept so
that a retry of the same request gets the same answer instead of creating a second resource
(IETF draft "The Idempotency-Key HTTP Header Field")."""

from datetime import timedelta

from peewee import CharField, IntegerField, IntegrityError, JSONField, TextField

from models.base import Table, UTCDateTimeField, utcnow
from models.db import database

KEY_LIFETIME = timedelta(hours=24)


class KeyInProgress(Exception):
    """The first request with this key has not finished yet."""


class KeyReused(Exception):
    """This key was first sent with a different request."""


class IdempotencyRecord(Table):
    # Whose key: the API key prefix, or "" while writes need no key (NULLs would not be unique).
    owner = CharField(max_length=16)
    key = CharField(max_length=255)
    fingerprint = CharField(max_length=64)  # SHA-256 of the request's method, path and body
    status = IntegerField(null=True)  # null while the first request runs
    body = TextField(null=True)
    headers = JSONField(null=True)
    created_at = UTCDateTimeField(default=utcnow)
    expires_at = UTCDateTimeField(index=True)

    class Meta:
        table_name = "idempotency_record"
        indexes = ((("owner", "key"), True),)

    @classmethod
    def begin(cls, owner: str, key: str, fingerprint: str) -> "IdempotencyRecord | None":
        """Reserve `key` for a request about to run (None), or return the finished record of
        its first run to replay. Raises KeyReused or KeyInProgress. Commits on its own, so
        that a concurrent retry sees the reservation."""
        for _ in range(2):  # a second try if an expired record vanished under our feet
            try:
                now = utcnow()
                with database.atomic():
                    cls.delete().where(cls.expires_at <= now).execute()
                    cls.create(
                        owner=owner,
                        key=key,
                        fingerprint=fingerprint,
                        created_at=now,
                        expires_at=now + KEY_LIFETIME,
                    )
                return None
            except IntegrityError:
                first = cls.get_or_none(owner=owner, key=key)
            if first is None:
                continue
            if first.fingerprint != fingerprint:
                raise KeyReused(key)
            if first.status is None:
                raise KeyInProgress(key)
            return first
        raise KeyInProgress(key)

    @classmethod
    def finish(cls, owner: str, key: str, status: int, body: str, headers: dict) -> None:
        """Store the answer of the first run."""
        with database.atomic():
            cls.update(status=status, body=body, headers=headers).where(
                (cls.owner == owner) & (cls.key == key)
            ).execute()

    @classmethod
    def release(cls, owner: str, key: str) -> None:
        """Forget a reservation whose request failed, so that a retry runs it afresh."""
        with database.atomic():
            cls.delete().where(
                (cls.owner == owner) & (cls.key == key) & cls.status.is_null()
            ).execute()
