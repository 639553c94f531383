"""How a status, kind or band written in YAML reads on the page: one table for the portal.

The CTO writes `in-progress`, `vendor-review` or `build-vs-buy`; the client reads
"In progress", "Vendor review" and "Build vs buy", the same way on every page, badge and
chart. Every value a model accepts has its label here (a test walks the models).
"""

from __future__ import annotations

LABELS: dict[str, str] = {
    # engagement phases and common engagement models
    "fractional": "Fractional", "advisory": "Advisory", "interim": "Interim",
    "assessment": "Assessment", "roadmap": "Roadmap", "execution": "Execution",
    "transition": "Transition",
    # roadmap statuses and horizons
    "planned": "Planned", "in-progress": "In progress", "done": "Done", "at-risk": "At risk",
    "blocked": "Blocked", "dropped": "Dropped", "on-track": "On track",
    "now": "Now", "next": "Next", "later": "Later",
    # risks
    "open": "Open", "monitoring": "Monitoring", "closed": "Closed",
    "rising": "Rising", "steady": "Steady", "falling": "Falling",
    "low": "Low", "medium": "Medium", "high": "High", "critical": "Critical",
    "avoid": "Avoid", "mitigate": "Mitigate", "transfer": "Transfer", "accept": "Accept",
    "escalate": "Escalate",
    "technology": "Technology", "security": "Security", "people": "People", "vendor": "Vendor",
    "delivery": "Delivery", "compliance": "Compliance", "financial": "Financial",
    "data": "Data", "other": "Other",
    # decisions
    "proposed": "Proposed", "accepted": "Accepted", "rejected": "Rejected",
    "deprecated": "Deprecated", "superseded": "Superseded",
    "architecture": "Architecture", "build-vs-buy": "Build vs buy", "process": "Process",
    "build": "Build", "buy": "Buy", "subscribe": "Subscribe", "compose": "Compose",
    "keep": "Keep as is",
    # notes
    "meeting": "Meeting", "board-update": "Board update", "status": "Status report",
    "vendor-review": "Vendor review",
    # vendors
    "evaluating": "Evaluating", "onboarding": "Onboarding", "active": "Active",
    "exiting": "Exiting", "exited": "Exited",
    "continue": "Continue", "renegotiate": "Renegotiate", "replace": "Replace",
    "watch": "Watch", "exit": "Exit",
    "met": "Met", "missed": "Missed", "not yet due": "Not yet due",
    # a decision's success test (met and missed are above)
    "on the way": "On the way", "not yet measurable": "Not yet measurable",
    "judged once accepted": "Judged once accepted",
    # opportunities
    "idea": "Idea", "pilot": "Pilot", "scaling": "Scaling", "live": "Live",
    "parked": "Parked",
    "quick win": "Quick win", "strategic bet": "Strategic bet", "fill-in": "Fill-in",
    "deprioritise": "Deprioritized",
    # asks (actions.yml): open, done and dropped are above; "overdue" is an open ask past due
    "overdue": "Overdue",
    # time.csv activities (assessment, build-vs-buy and other are above)
    "roadmap-review": "Roadmap review", "vendor-meeting": "Vendor meeting",
    "leadership-meeting": "Leadership meeting", "architecture-review": "Architecture review",
    "coaching": "Coaching", "ai-assessment": "AI assessment",
    "board-reporting": "Board reporting",
    # meetings.yml: how often a cadence meets, and a one-off meeting's state
    "week": "Weekly", "2 weeks": "Every 2 weeks", "month": "Monthly", "quarter": "Quarterly",
    "scheduled": "Scheduled", "cancelled": "Cancelled",
}


def label(value: object) -> str:
    """The label of a YAML value from the table; a value the table does not know (a MADR
    status of the team's own, say) is shown as written."""
    text = str(value)
    return LABELS.get(text.lower(), text)
