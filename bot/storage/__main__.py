"""Manage the guide's database schema: ``python -m bot.storage upgrade|current [--db URL]``."""

from __future__ import annotations

import argparse
import sys
from typing import List, Optional

from bot.storage.database import DATABASE_VARIABLE, alembic_config, connect, upgrade


def main(argv: Optional[List[str]] = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m bot.storage", description=__doc__)
    parser.add_argument("command", choices=("upgrade", "current"))
    parser.add_argument("--db", default=None, help=f"file or SQLAlchemy URL (default: ${DATABASE_VARIABLE})")
    args = parser.parse_args(argv)
    engine = connect(args.db)
    if args.command == "upgrade":
        upgrade(engine)
        print("The database is up to date.")
    else:
        from alembic import command

        command.current(alembic_config(engine))
    return 0


if __name__ == "__main__":
    sys.exit(main())
