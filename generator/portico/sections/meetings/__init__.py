"""meetings.yml: the engagement's regular and one-off meetings, with the board meetings of
the board packs; the next ones on home, a Meetings page and a calendar file."""

from portico.sections.meetings.section import MeetingsSection

__all__ = ["MeetingsSection"]
