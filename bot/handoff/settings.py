"""The counsellors' office hours and the handoff settings, read from ``handoff.yml``.

Office hours are local times on weekdays in one time zone (Europe/Berlin);
the public holidays of one German state (Baden-Württemberg) are closed. Both
the action server (is a counsellor there now?) and the console (when are
they back, which waits are too long?) read the same file.
"""

from __future__ import annotations

import dataclasses
import datetime
import os
import re
from pathlib import Path
from typing import Dict, List, Optional, Tuple
from zoneinfo import ZoneInfo

import holidays
import yaml

PROJECT_DIR = Path(__file__).resolve().parents[2]
DEFAULT_SETTINGS_FILE = PROJECT_DIR / "handoff.yml"
#: Environment variable naming another settings file (tests use it).
SETTINGS_VARIABLE = "HANDOFF_SETTINGS"
WEEKDAYS = ("monday", "tuesday", "wednesday", "thursday", "friday", "saturday", "sunday")
_PERIOD = re.compile(r"^\s*(\d{1,2}):(\d{2})\s*-\s*(\d{1,2}):(\d{2})\s*$")
#: How far ahead :meth:`OfficeHours.next_opening` looks (covers Christmas and Easter).
_LOOKAHEAD_DAYS = 21

Period = Tuple[datetime.time, datetime.time]
#: '24:00' ends a period at midnight: open until the day is over, not one minute less.
_END_OF_DAY = datetime.time.max


class SettingsError(ValueError):
    """``handoff.yml`` is not valid; the message says where and why."""


@dataclasses.dataclass(frozen=True)
class OfficeHours:
    """When counsellors are in: periods per weekday, closed on public holidays."""

    timezone: ZoneInfo
    periods: Dict[int, List[Period]]  # weekday (0 = Monday) -> periods
    holiday_calendar: holidays.HolidayBase

    def is_open(self, when: datetime.datetime) -> bool:
        """Whether counsellors are in at ``when`` (an aware datetime)."""
        local = when.astimezone(self.timezone)
        if local.date() in self.holiday_calendar:
            return False
        return any(start <= local.time() < end for start, end in self.periods.get(local.weekday(), []))

    def next_opening(self, when: datetime.datetime) -> Optional[datetime.datetime]:
        """The next moment counsellors are in, at or after ``when`` (local time); ``None`` if never."""
        local = when.astimezone(self.timezone)
        for offset in range(_LOOKAHEAD_DAYS):
            day = local.date() + datetime.timedelta(days=offset)
            if day in self.holiday_calendar:
                continue
            for start, end in self.periods.get(day.weekday(), []):
                opening = datetime.datetime.combine(day, start, tzinfo=self.timezone)
                closing = datetime.datetime.combine(day, end, tzinfo=self.timezone)
                if local < closing:
                    return max(opening, local)
        return None


@dataclasses.dataclass(frozen=True)
class HandoffSettings:
    office_hours: OfficeHours
    unclaimed_alert: datetime.timedelta
    retention: datetime.timedelta


def load_settings(path: Optional[Path] = None) -> HandoffSettings:
    """Read and check the settings file (``HANDOFF_SETTINGS`` or ``handoff.yml``)."""
    path = Path(path or os.environ.get(SETTINGS_VARIABLE) or DEFAULT_SETTINGS_FILE)
    try:
        raw = yaml.safe_load(path.read_text(encoding="utf-8")) or {}
    except (OSError, yaml.YAMLError) as error:
        raise SettingsError(f"{path}: cannot be read: {error}") from error
    try:
        zone = ZoneInfo(raw.get("timezone", "Europe/Berlin"))
        calendar = _holidays(raw.get("holidays") or {})
        periods = {
            WEEKDAYS.index(day): [_period(text) for text in texts or []]
            for day, texts in (raw.get("office_hours") or {}).items()
        }
        return HandoffSettings(
            office_hours=OfficeHours(zone, periods, calendar),
            unclaimed_alert=datetime.timedelta(minutes=float(raw.get("unclaimed_alert_minutes", 10))),
            retention=datetime.timedelta(days=float(raw.get("retention_days", 90))),
        )
    except (ValueError, KeyError, TypeError, NotImplementedError) as error:
        raise SettingsError(f"{path}: {error}") from error


def _holidays(raw: Dict) -> holidays.HolidayBase:
    if not raw:
        return holidays.HolidayBase()
    return holidays.country_holidays(raw["country"], subdiv=raw.get("subdivision"))


def _period(text: str) -> Period:
    match = _PERIOD.match(str(text))
    if not match:
        raise ValueError(f"office hours must look like '09:00-12:00', not {text!r}")
    start = datetime.time(int(match[1]), int(match[2]))
    end = _END_OF_DAY if (match[3], match[4]) in (("24", "00"),) else datetime.time(int(match[3]), int(match[4]))
    if end <= start:
        raise ValueError(f"office hours {text!r} end before they start")
    return start, end
