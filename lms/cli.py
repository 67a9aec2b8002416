"""Command-line tools: flask --app lms db|demo|backup|restore|courses|cpd|accreditation|..."""

from pathlib import Path

import click
from alembic import command
from alembic.config import Config as AlembicConfig
from flask import Flask, current_app

from lms.formatting import plural

MIGRATIONS = Path(__file__).with_name("migrations")


def alembic_config() -> AlembicConfig:
    config = AlembicConfig()
    config.set_main_option("script_location", str(MIGRATIONS))
    config.set_main_option("sqlalchemy.url",
                           current_app.config["SQLALCHEMY_DATABASE_URI"].replace("%", "%%"))
    return config


def register_cli(app: Flask) -> None:
    from lms.accreditation.cli import register_accreditation_cli
    from lms.certs.cli import register_certificates_cli
    from lms.cpd.cli import register_cpd_cli

    register_course_cli(app)
    register_backup_cli(app)
    register_cpd_cli(app)
    register_accreditation_cli(app)
    register_certificates_cli(app)

    @app.cli.command("worker")
    @click.option("--workers", default=2, show_default=True, help="Threads in this process.")
    def worker(workers):
        """Run the background worker: mail delivery and the daily jobs (lms/tasks.py)."""
        import logging

        from huey.consumer import Consumer

        import lms.tasks

        logging.basicConfig(level=logging.INFO, format="%(asctime)s %(name)s %(message)s")

        lms.tasks._app = current_app._get_current_object()
        Consumer(lms.tasks.huey, workers=workers, worker_type="thread", periodic=True).run()

    @app.cli.group()
    def db():
        """Build and upgrade the database schema."""

    @db.command()
    @click.argument("revision", default="head")
    def upgrade(revision):
        """Upgrade the schema to a revision (default: the newest)."""
        command.upgrade(alembic_config(), revision)
        click.echo(f"Database upgraded to {revision}.")

    @db.command()
    @click.argument("revision")
    def downgrade(revision):
        """Downgrade the schema to a revision."""
        command.downgrade(alembic_config(), revision)

    @db.command()
    @click.option("-m", "--message", required=True)
    def revision(message):
        """Autogenerate a migration from the models (review it before committing)."""
        command.revision(alembic_config(), message=message, autogenerate=True)

    @db.command()
    def current():
        """Show the schema revision."""
        command.current(alembic_config(), verbose=True)

    @app.cli.group()
    def demo():
        """Demo data for development (never in production)."""

    @demo.command("load")
    @click.option("--if-empty", is_flag=True, help="Only load into a database with no people.")
    def demo_load(if_empty):
        """Load the demo organisations, staff, cohort and trainees."""
        from lms.demo import DemoRefused, load_demo

        try:
            loaded = load_demo(only_if_empty=if_empty)
        except DemoRefused as error:
            raise click.ClickException(str(error)) from error
        click.echo("Demo data loaded." if loaded else "Database has people already; left alone.")


def register_backup_cli(app: Flask) -> None:
    @app.cli.command("backup")
    @click.argument("path", type=click.Path(dir_okay=False, path_type=Path))
    @click.option("--force", is_flag=True, help="Replace PATH if it exists.")
    def backup(path, force):
        """Back up the database to PATH; safe while the app and worker run."""
        from lms.backup import BackupError, backup_database, database_name, human_size
        from lms.extensions import db

        try:
            summary = backup_database(db.engine, path, force=force)
        except BackupError as error:
            raise click.ClickException(str(error)) from error
        click.echo(f"Backed up the {database_name(db.engine)} database to {summary.path}: "
                   f"{human_size(summary.size)}, {plural(len(summary.rows), 'table')}, "
                   f"{plural(summary.total_rows, 'row')}, schema revision {summary.revision}.")
        for note in summary.notes:
            click.echo(note)

    @app.cli.command("restore")
    @click.argument("path", type=click.Path(dir_okay=False, path_type=Path))
    @click.option("--yes", is_flag=True, help="Replace the live database without asking.")
    def restore(path, yes):
        """Replace the live database with the backup in PATH (stop the app and worker first)."""
        from lms.backup import (
            BackupError,
            database_name,
            human_size,
            inspect_backup,
            restore_database,
        )
        from lms.extensions import db

        try:
            found = inspect_backup(db.engine, path)
            if not yes:
                click.confirm(f"{path} ({human_size(found.size)}, schema revision "
                              f"{found.revision}) will replace everything in the live "
                              f"{database_name(db.engine)} database; whatever was written since "
                              "the backup is lost. Go ahead?", abort=True)
            db.session.remove()
            summary = restore_database(db.engine, path)
            from lms.cpd.services import forget_kept_figures

            forget_kept_figures(current_app)  # figures worked out from the replaced rows
        except BackupError as error:
            raise click.ClickException(str(error)) from error
        click.echo(f"Restored {summary.path} ({human_size(summary.size)}) into the "
                   f"{database_name(db.engine)} database: {plural(len(summary.rows), 'table')}, "
                   f"{plural(summary.total_rows, 'row')}, schema revision {summary.revision}.")
        width = max(map(len, summary.rows), default=0)
        for name, count in summary.rows.items():
            click.echo(f"  {name:<{width}}  {count:>9,}")
        for note in summary.notes:
            click.echo(note)


def register_course_cli(app: Flask) -> None:
    @app.cli.group()
    def courses():
        """Check, load and report on the course content files."""

    def _load():
        from lms.courses.content import load_programme

        return load_programme(Path(current_app.config["COURSES_PATH"]))

    @courses.command("check")
    def courses_check():
        """Validate every content file; exit non-zero naming file and line on any error."""
        programme = _load()
        for problem in programme.problems:
            click.echo(str(problem), err=True)
        lessons = sum(len(m.lessons) for m in programme.modules)
        if programme.problems:
            raise click.ClickException(
                f"{plural(len(programme.problems), 'problem')} in course content.")
        click.echo(f"Course content is clean: {plural(len(programme.modules), 'module')}, "
                   f"{plural(lessons, 'lesson')}.")

    @courses.command("sync")
    def courses_sync():
        """Load checked content into the database; changed modules get a new version."""
        from lms.courses.services import sync_programme
        from lms.extensions import db

        programme = _load()
        if programme.problems:
            for problem in programme.problems:
                click.echo(str(problem), err=True)
            raise click.ClickException("Content has problems; nothing was synced.")
        report = sync_programme(programme)
        db.session.commit()
        click.echo(f"New versions: {', '.join(report.created) or 'none'}. "
                   f"Unchanged: {', '.join(report.unchanged) or 'none'}.")

    @courses.command("report")
    @click.option("--format", "fmt", type=click.Choice(["json", "table"]), default="table")
    def courses_report(fmt):
        """Print per-module figures staff use to plan review."""
        import json

        from lms.courses.rules import ReportLesson, report_row

        programme = _load()
        rows = [report_row(
            {"code": m.code, "title": m.meta.get("title", ""), "credits": m.meta.get("credits"),
             "kind": m.meta.get("kind"), "last_reviewed": m.meta["last_reviewed"],
             "outcomes": len(m.outcome_ids), "scenarios": len(m.scenarios)},
            [ReportLesson(lesson.words, len(lesson.questions),
                          tuple(s.get("cite", "") for s in lesson.meta.get("sources", [])),
                          lesson.meta["last_reviewed"]) for lesson in m.lessons])
            for m in programme.modules]
        if fmt == "json":
            click.echo(json.dumps(rows, indent=2))
            return
        columns = ["code", "kind", "credits", "lessons", "words", "learning_outcomes",
                   "knowledge_check_questions", "scenarios", "sources_cited",
                   "oldest_last_reviewed", "title"]
        headers = ["code", "kind", "cr", "lessons", "words", "LOs", "questions", "scen",
                   "sources", "reviewed", "title"]
        widths = [max(len(h), *(len(str(r[c])) for r in rows)) if rows else len(h)
                  for h, c in zip(headers, columns, strict=True)]
        click.echo("  ".join(h.ljust(w) for h, w in zip(headers, widths, strict=True)))
        for row in rows:
            click.echo("  ".join(str(row[c]).ljust(w) for c, w in zip(columns, widths,
                                                                        strict=True)))
