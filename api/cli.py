"""The `claims-api` command: Flask's commands (run, routes, openapi) plus migrate, seed, keys
and extract."""

import json
from pathlib import Path

import click
from flask.cli import FlaskGroup, with_appcontext

import extraction
from api import create_app
from api.config import ConfigError
from api.export import export_command
from api.imports import import_command
from models import SCOPES, ApiKey, Article, Outlet, Proposal, database
from models.db import migrate
from models.proposal import directory
from models.seeding import SeedError, load_seeds
from schemas.extraction import ExtractedProposal
from schemas.proposal import ProposalSchema

SEEDS = Path(__file__).resolve().parent.parent / "seeds"


def create_checked_app():
    """create_app(), with a bad setting reported in one line and exit status 1."""
    try:
        return create_app()
    except ConfigError as error:
        raise click.ClickException(f"bad configuration: {error}") from None


@click.group(cls=FlaskGroup, create_app=create_checked_app)
def main():
    """The claims API: who said what, where it was reported."""


main.add_command(export_command)
main.add_command(import_command)


@main.command("migrate")
def migrate_command():
    """Apply the schema migrations not yet applied."""
    applied = migrate(database.obj)
    click.echo(f"applied {len(applied)} migration(s): {', '.join(applied) or 'none needed'}")


@main.command("seed")
@click.option(
    "--directory", type=click.Path(exists=True, file_okay=False, path_type=Path), default=SEEDS
)
@click.option("--if-empty", is_flag=True, help="Do nothing if the database holds any outlet.")
def seed_command(directory: Path, if_empty: bool):
    """Migrate, then load the annotated seed articles (running it twice changes nothing)."""
    migrate(database.obj)
    if if_empty and Outlet.select().exists():
        click.echo("database already holds data: not seeding")
        return
    try:
        counts = load_seeds(directory)
    except SeedError as error:
        raise click.ClickException(f"seeds not loaded: {error}") from None
    summary = ", ".join(f"{count} {what}" for what, count in sorted(counts.items()) if count)
    click.echo(f"seeded from {directory}: {summary or 'nothing changed'}")


@main.group("keys")
@with_appcontext
def keys():
    """Create, list and revoke the API keys that authorise writes."""
    migrate(database.obj)


@keys.command("create")
@click.option("--name", required=True, help="Who or what will use the key.")
@click.option("--scope", type=click.Choice(SCOPES), default="write", show_default=True)
def create_key(name: str, scope: str):
    """Create a key and print it: this is the only time it is shown."""
    row, key = ApiKey.issue(name, scope)
    click.echo(key)
    click.echo(
        f"created key {row.prefix} ({scope}) for {name!r}; store it now, it cannot be shown again",
        err=True,
    )


@keys.command("list")
def list_keys():
    """List the keys: prefix, scope, created, last used, revoked, name (never the key)."""
    line = "{:<9} {:<6} {:<21} {:<21} {:<21} {}"
    click.echo(line.format("prefix", "scope", "created", "last used", "revoked", "name"))
    for row in ApiKey.select().order_by(ApiKey.id):
        times = (moment(row.created_at), moment(row.last_used_at), moment(row.revoked_at))
        click.echo(line.format(row.prefix, row.scope, *times, row.name))


@keys.command("revoke")
@click.argument("prefix")
def revoke_key(prefix: str):
    """Revoke the key with this prefix: requests with it are refused from now on."""
    row = ApiKey.get_or_none(ApiKey.prefix == prefix.removeprefix("ck_")[:8])
    if row is None:
        raise click.ClickException(f"there is no key with the prefix {prefix!r}")
    if not row.revoke():
        click.echo(f"key {row.prefix} was already revoked")
        return
    click.echo(f"revoked key {row.prefix} ({row.scope}, {row.name!r})")


@main.command("extract")
@click.argument("file", type=click.File("r", encoding="utf-8"), required=False)
@click.option("--article", "article_id", type=click.IntRange(1), help="A stored article's id.")
@click.option(
    "--store",
    is_flag=True,
    help="Keep the article's proposals for review, as POST /v1/articles/{id}/proposals does.",
)
@with_appcontext
def extract_command(file, article_id: int | None, store: bool):
    """Print the attributions proposed in FILE (`-` for stdin), or in a stored article, one
    JSON object per line, as POST /v1/extractions shows them (with --store, as stored).
    Speakers and outlets resolve to those of the database; no size or time limit applies."""
    if (file is None) == (article_id is None):
        raise click.UsageError("give a FILE (or - for stdin), or --article ID")
    if store and article_id is None:
        raise click.UsageError("--store keeps the proposals of a stored article: give --article")
    migrate(database.obj)
    with database.atomic():  # an article's body cannot change between reading and storing
        if file is not None:
            text = file.read()
        else:
            article = Article.get_or_none(Article.id == article_id)
            if article is None:
                raise click.ClickException(f"there is no article with id {article_id}")
            text = article.body
        found = extraction.extract(text, directory())
        if store:
            found = Proposal.record_run(article, found)
    schema = ProposalSchema() if store else ExtractedProposal()
    for proposal in found:
        click.echo(json.dumps(schema.dump(proposal), ensure_ascii=False))


def moment(value) -> str:
    return value.strftime("%Y-%m-%d %H:%M:%SZ") if value else "never"
