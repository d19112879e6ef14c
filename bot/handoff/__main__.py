"""Delete closed handoffs after the retention period: ``python -m bot.handoff purge [--days N]``.

Meant for a daily cron job. The period is ``retention_days`` in ``handoff.yml``
unless ``--days`` says otherwise; handoffs still waiting or being answered are
never deleted. The database is ``GUIDE_DATABASE_URL`` (default ``var/guide.db``).
"""

from __future__ import annotations

import argparse
import datetime
import sys
from typing import List, Optional

from bot.handoff.settings import load_settings
from bot.storage import open_database
from bot.storage.handoffs import HandoffQueue


def main(argv: Optional[List[str]] = None) -> int:
    parser = argparse.ArgumentParser(
        prog="python -m bot.handoff", description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("command", choices=("purge",))
    parser.add_argument("--days", type=float, default=None, help="delete handoffs closed more than this many days ago")
    args = parser.parse_args(argv)
    retention = datetime.timedelta(days=args.days) if args.days is not None else load_settings().retention
    removed = HandoffQueue(open_database()).purge_closed(retention)
    print(f"Deleted {removed} handoffs closed more than {retention.days} days ago.")
    return 0


if __name__ == "__main__":
    sys.exit(main())
