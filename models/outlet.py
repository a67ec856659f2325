"""Outlets: the publishers of articles, and the channels through which statements are relayed."""

from peewee import CharField

from models.base import BaseModel, one_of

OWNERSHIP_KINDS = ("state", "public", "private", "nonprofit")


class Outlet(BaseModel):
    slug = CharField(max_length=64, unique=True)
    name = CharField(max_length=200)
    homepage = CharField(max_length=2000, null=True)
    country = CharField(max_length=2, null=True)  # ISO 3166-1 alpha-2
    language = CharField(max_length=35, null=True)  # BCP 47 tag
    ownership = CharField(
        max_length=16, null=True, constraints=[one_of("ownership", OWNERSHIP_KINDS)]
    )
