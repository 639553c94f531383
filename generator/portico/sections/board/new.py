"""What `portico new board` writes: a pack's front matter and the headline to write.

The prompt lines (`PROMPTS`) are for the author to replace; `check` warns at each line
still holding one (`PLACEHOLDERS`), so the template and the warning cannot drift apart.
"""

from __future__ import annotations

PROMPTS = (
    "**The headline.** What the board should take away, in three short paragraphs.",
    "Portico adds the decisions, KPIs, roadmap, top risks and vendor notices",
    "as they stand on the meeting's day.",
)
PLACEHOLDERS = PROMPTS
"""Lines `portico new board` writes for the author to replace, as written."""


def pack_text(title_yaml: str, period_yaml: str) -> str:
    """A board pack's text; `title_yaml` and `period_yaml` are already YAML scalars."""
    return (f"---\ntitle: {title_yaml}\nperiod: {period_yaml}\n"
            "kpis: []        # KPI ids from kpis.yml, e.g. [K-DEPLOYS, K-UPTIME]\n"
            "decisions: []   # decision numbers the board is asked for, e.g. [\"0006\"]\n"
            "---\n\n" + "\n".join(PROMPTS) + "\n")
