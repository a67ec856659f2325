"""The `claims-api` command: Flask's commands (run, routes, openapi) plus migrate and seed."""

from pathlib import Path

import click
from flask.cli import FlaskGroup

from api import create_app
from models import Outlet, database
from models.db import migrate
from models.seeding import SeedError, load_seeds

SEEDS = Path(__file__).resolve().parent.parent / "seeds"


@click.group(cls=FlaskGroup, create_app=create_app)
def main():
    """The claims API: who said what, where it was reported."""


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
