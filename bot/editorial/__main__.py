"""Editors' commands (the Makefile's targets call them; see docs/editing.md).

python -m bot.editorial check                  # make check-content
python -m bot.editorial report                 # make content-report
python -m bot.editorial export tr              # make export-translations TO=tr
python -m bot.editorial import FILE.po         # make import-translations FILE=...
python -m bot.editorial minor TOPIC            # make minor-change TOPIC=...
python -m bot.editorial publish                # make publish
python -m bot.editorial forget --older-than-days 365
"""

from __future__ import annotations

import argparse
import datetime
import sys
from pathlib import Path
from typing import List, Optional

from bot import clock
from bot.knowledge import DEFAULT_KNOWLEDGE_DIR

PROJECT_DIR = Path(__file__).resolve().parents[2]
DEFAULT_REPORT = PROJECT_DIR / "var" / "content-report.html"
DEFAULT_EXPORT_DIR = PROJECT_DIR / "var" / "translations"


def main(argv: Optional[List[str]] = None) -> int:
    args = _parser().parse_args(argv)
    return args.run(args)


def _parser() -> argparse.ArgumentParser:
    from bot.editorial.check import DEFAULT_REVIEW_MONTHS
    from bot.editorial.report import DEFAULT_DAYS

    parser = argparse.ArgumentParser(
        prog="python -m bot.editorial", description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument(
        "--knowledge", default=str(DEFAULT_KNOWLEDGE_DIR), help="the knowledge folder (default: %(default)s)"
    )
    commands = parser.add_subparsers(dest="command", required=True)

    check = commands.add_parser("check", help="check the knowledge base")
    check.add_argument(
        "--review-months",
        type=int,
        default=DEFAULT_REVIEW_MONTHS,
        help="list topics reviewed longer ago than this (default: %(default)s)",
    )
    check.set_defaults(run=_check)

    report = commands.add_parser("report", help="write the content report (HTML)")
    report.add_argument("--out", default=str(DEFAULT_REPORT), help="default: %(default)s")
    report.add_argument("--review-months", type=int, default=DEFAULT_REVIEW_MONTHS)
    report.add_argument(
        "--days", type=int, default=DEFAULT_DAYS, help="unanswered questions of the last N days (default: %(default)s)"
    )
    report.add_argument(
        "--db", default=None, help="the guide's database (default: $GUIDE_DATABASE_URL or var/guide.db)"
    )
    report.add_argument("--no-db", action="store_true", help="leave out the unanswered questions")
    report.set_defaults(run=_report)

    export = commands.add_parser("export", help="write a PO file of what to translate into one language")
    export.add_argument("language", help="e.g. tr")
    export.add_argument("--out", default=None, help="default: var/translations/<language>.po")
    export.add_argument("--machine", action="store_true", help="also the machine translations, to check")
    export.set_defaults(run=_export)

    imports = commands.add_parser("import", help="take the finished translations of a PO file")
    imports.add_argument("file")
    imports.add_argument(
        "--machine", action="store_true", help="the translations were not checked by a person (status: machine)"
    )
    imports.set_defaults(run=_import)

    minor = commands.add_parser("minor", help="keep a topic's translations after a minor change of its original")
    minor.add_argument("topic")
    minor.add_argument("--languages", default="", help="only these, e.g. de,tr (default: all outdated)")
    minor.set_defaults(run=_minor)

    publish = commands.add_parser("publish", help="check, train if the questions changed, load into the guide")
    publish.add_argument("--url", default="http://localhost:5005", help="the running guide (default: %(default)s)")
    publish.set_defaults(run=_publish)

    forget = commands.add_parser("forget", help="delete old unanswered questions")
    forget.add_argument("--older-than-days", type=int, required=True)
    forget.add_argument("--db", default=None)
    forget.set_defaults(run=_forget)
    return parser


def _check(args: argparse.Namespace) -> int:
    from bot.editorial.check import check_content, render

    check = check_content(args.knowledge, args.review_months)
    print(render(check))
    return 0 if check.ok else 1


def _report(args: argparse.Namespace) -> int:
    from bot.editorial.report import render_report, write_report
    from bot.storage import open_database

    engine = None if args.no_db else open_database(args.db)
    html = render_report(args.knowledge, engine, review_months=args.review_months, days=args.days)
    path = write_report(args.out, html)
    print(f"Report written: {path} (open it in a browser)")
    return 0


def _export(args: argparse.Namespace) -> int:
    from bot.editorial.translations import export_translations

    po = export_translations(args.language, args.knowledge, include_machine=args.machine)
    if not len(po):
        print(f"Nothing to translate into {args.language}: every topic is up to date.")
        return 0
    out = Path(args.out or DEFAULT_EXPORT_DIR / f"{args.language}.po")
    out.parent.mkdir(parents=True, exist_ok=True)
    po.save(str(out))
    topics = len({entry.msgctxt.partition(".")[0] for entry in po})
    print(
        f"{out}: {topics} topic(s), {len(po)} text(s) to translate into {args.language}. "
        "Send it to the translators; import their file with make import-translations FILE=..."
    )
    return 0


def _import(args: argparse.Namespace) -> int:
    from bot.editorial.translations import MACHINE, TRANSLATED, import_translations

    result = import_translations(args.file, args.knowledge, status=MACHINE if args.machine else TRANSLATED)
    for topic in result.updated:
        print(f"updated: {topic} ({result.language})")
    for topic in result.still_outdated:
        print(f"still outdated: {topic}: its original changed after the file was exported; export it again")
    for reason in result.skipped:
        print(f"not imported: {reason}")
    print(
        f"{len(result.updated)} translation(s) imported into {result.language}, {len(result.skipped)} skipped. "
        "Now run make check-content."
    )
    return 1 if result.skipped else 0


def _minor(args: argparse.Namespace) -> int:
    from bot.editorial.translations import confirm_translations

    languages = [code.strip() for code in args.languages.split(",") if code.strip()] or None
    try:
        confirmed = confirm_translations(args.topic, args.knowledge, languages)
    except LookupError as error:
        print(error.args[0], file=sys.stderr)
        return 1
    if confirmed:
        print(f"{args.topic}: the translations into {', '.join(confirmed)} stay valid for the changed original.")
    else:
        print(f"{args.topic}: no outdated translation to keep.")
    return 0


def _publish(args: argparse.Namespace) -> int:
    from bot.editorial.publish import publish

    return publish(args.url, knowledge_dir=args.knowledge)


def _forget(args: argparse.Namespace) -> int:
    from bot.storage import open_database
    from bot.storage.unanswered import forget_unanswered

    before = clock.today() - datetime.timedelta(days=args.older_than_days)
    removed = forget_unanswered(open_database(args.db), before)
    print(f"Deleted {removed} unanswered question(s) from before {before.isoformat()}.")
    return 0


if __name__ == "__main__":
    sys.exit(main())
