"""A synthetic practice for benchmarks: N clients of realistic, deterministic content.

Run: `python benchmarks/synthetic.py OUT [--clients 20] [--seed 1]`. OUT gets the
repository's mkdocs.yml, theme/ and content/, and clients/<slug>/ for each client with:

- client.yml (contacts, a Markdown summary, next steps, a colour and an SVG logo),
- assessment/ (a scorecard page and two more pages),
- roadmap.yml (15 items over four workstreams, ISO dates and quarters, depends_on,
  two undated items, three milestones),
- risks.yml (20 risks, one internal, a few closed),
- decisions/ (12 decisions, MADR and Nygard mixed, two supersessions, links between them),
- notes/ (10 notes, one internal), pages/ (three pages, one showing a small PNG),
- readers.yml with one reader made by `portico.readers.add_reader` (passphrase
  `BENCH_PASSPHRASE`, 600,000 PBKDF2 iterations: about 0.3 s per client to write).

Text comes from `random.Random(seed, client index)`, so a client's content does not depend
on how many clients are generated. Only the readers' salts are random (add_reader draws
them), so readers.yml differs between runs; nothing else does. The result passes
`portico check` without errors.
"""

from __future__ import annotations

import argparse
import datetime as dt
import random
import shutil
import struct
import sys
import zlib
from pathlib import Path

import yaml

from portico.protection.readers import add_reader

REPO = Path(__file__).resolve().parents[1]
BENCH_PASSPHRASE = "benchmark-practice-passphrase"
ANCHOR = dt.date(2026, 1, 5)  # a Monday; every date is an offset from it

# --- word banks -------------------------------------------------------------------------

PREFIXES = ["Harbor", "Lumen", "Cedar", "Northgate", "Bright", "Silver", "Granite", "Kestrel",
            "Meridian", "Oak", "Pioneer", "Quarry", "Riverside", "Summit", "Tidewater",
            "Union", "Vantage", "Willow", "Aster", "Beacon", "Copper", "Delta", "Evergreen",
            "Falcon", "Golden", "Highland", "Ironbridge", "Juniper", "Keystone", "Lakeshore"]
INDUSTRIES = [
    ("Logistics", "shipments", "bookings", "carriers"),
    ("Health", "patients", "appointments", "clinics"),
    ("Retail", "orders", "stores", "suppliers"),
    ("Insurance", "policies", "claims", "brokers"),
    ("Manufacturing", "work orders", "production lines", "plants"),
    ("Learning", "learners", "courses", "schools"),
    ("Energy", "meters", "field crews", "substations"),
    ("Foods", "deliveries", "recipes", "distributors"),
    ("Media", "subscribers", "articles", "advertisers"),
    ("Payments", "transactions", "merchants", "settlements"),
]
FIRST = ["Margaret", "David", "Priya", "Alex", "Jo", "Nadia", "Owen", "Samira", "Tomás", "Grace",
         "Henrik", "Aisha", "Lucas", "Mei", "Rafael", "Ingrid", "Kwame", "Sofia", "Daniel",
         "Elena", "Marcus", "Yuki", "Fatima", "Oliver", "Chloe", "Ravi", "Hannah", "Mateo"]
LAST = ["Okafor", "Lindqvist", "Raman", "Mercer", "Whitaker", "Ferreira", "Patel", "Haddad",
        "Castillo", "Kowalski", "Nakamura", "Brennan", "Oyelaran", "Schmidt", "Dubois",
        "Moreau", "Andersen", "Kaur", "Novak", "Silva", "Ibrahim", "Costa", "Fischer", "Quinn"]
ROLES = ["CEO", "CFO", "COO", "Head of Engineering", "Head of Operations", "Head of Product",
         "IT manager", "Head of Data"]
SYSTEMS = ["the order platform", "the customer portal", "the data warehouse", "the billing engine",
           "the mobile app", "the integration hub", "the reporting database",
           "the identity provider", "the scheduling service", "the legacy ERP"]
TECH = ["PostgreSQL", "Kubernetes", "Terraform", "Django", "React", "Kafka", "Snowflake",
        "Azure AD", "AWS Lambda", "GitHub Actions", "Datadog", "Okta", "dbt", "Redis",
        "Power BI", "Salesforce", "NetSuite", "Intune", "Cloudflare", "Sentry"]
VENDORS = ["Quayside", "Stackwise", "Corelane", "Brightpath", "Northwind", "Fabrikam", "Tailspin",
           "Contoso", "Litware", "Adventure Works", "Proseware", "Wingtip"]
WORKSTREAMS = ["Platform", "Data", "Security", "Team"]
VERBS = ["migrate", "replace", "consolidate", "harden", "automate", "document", "retire",
         "upgrade", "split", "monitor", "standardise", "outsource"]
ADJECTIVES = ["fragile", "undocumented", "slow", "expensive", "manual", "outdated",
              "overloaded", "unmonitored", "duplicated", "critical", "untested", "shared"]
OUTCOMES = ["cuts recovery time from days to hours", "removes a single point of failure",
            "gives the auditors the evidence they asked for", "saves about {money} a year",
            "lets the team release twice a week instead of twice a month",
            "halves the time spent on support tickets", "makes the monthly close two days shorter",
            "keeps customer data inside the region", "frees one engineer for product work"]
CONCERNS = ["the cost of running two systems in parallel", "the learning curve for the team",
            "a contract that renews in {month}", "the peak season change freeze",
            "a key-person dependency", "data quality in the old exports",
            "the vendor's roadmap", "the audit timetable", "the hiring market"]
RISK_TITLES = [
    "{system} depends on one engineer", "Backups of {system} have never been restored",
    "{tech} version reaches end of support", "Shared administrator accounts on {system}",
    "No monitoring on {system}", "Contract with {vendor} renews without review",
    "Customer data copied to personal laptops", "Release process relies on manual steps",
    "{system} cannot handle peak volume", "Security questionnaire from the largest customer",
    "Licence costs of {tech} growing faster than revenue",
    "Undocumented integrations with {vendor}",
    "Hiring for the platform role takes longer than planned", "Phishing of finance staff",
    "Reporting numbers disagree between {system} and finance", "Disaster recovery plan untested",
    "Open source components without updates", "Vendor lock-in on {vendor}",
    "Test coverage of {system} below 20%", "Access of leavers not removed within a day",
    "Budget for the roadmap not yet approved", "Data retention rules not applied",
]
ITEM_TITLES = [
    "{verb_t} {system}", "Single sign-on and MFA for every account", "Cloud landing zone",
    "Automated deploys for {system}", "{tech} upgrade", "Monitoring and on-call rota",
    "Backup and restore drills", "Data warehouse and nightly refresh", "Vendor register",
    "SOC 2 readiness", "Hire a senior platform engineer", "Retire {system}",
    "Customer-facing status page", "Cost dashboard for cloud spend",
    "Carrier of record for {vendor}",
    "Endpoint management for laptops", "Architecture decision records for the team",
]
DECISION_TITLES = [
    "Move production hosting to {cloud}", "Use {tech} for {system}",
    "Buy rather than build {system}",
    "Adopt trunk-based development", "Outsource first-line IT support to {vendor}",
    "Consolidate reporting in {tech}", "Self-host {tech} on virtual machines",
    "Use managed {tech} instead of self-hosting", "Rewrite {system} as services",
    "Standardise on {tech} for infrastructure", "Keep {system} and upgrade it in place",
    "Introduce an on-call rota with paid standby", "Retire {system} by the end of the year",
    "Choose {vendor} as the integration partner",
]
CLOUDS = ["AWS", "Azure", "Google Cloud"]
NOTE_KINDS = ["status", "meeting", "board-update", "vendor-review", "status", "meeting"]


def _slugify(text: str) -> str:
    out = "".join(c if c.isalnum() else "-" for c in text.lower())
    return "-".join(part for part in out.split("-") if part)[:60]


class Writer:
    """Prose and structure for one client, all drawn from one seeded generator."""

    def __init__(self, index: int, seed: int) -> None:
        self.r = random.Random(seed * 100_003 + index)
        prefix = PREFIXES[index % len(PREFIXES)]
        industry = INDUSTRIES[(index * 7 + index // len(PREFIXES)) % len(INDUSTRIES)]
        self.industry, self.things, self.flows, self.partners = industry
        suffix = "" if index < len(PREFIXES) else f" {index // len(PREFIXES) + 1}"
        self.name = f"{prefix}{'wood' if index % 3 == 0 else ''} {self.industry}{suffix}"
        self.short = self.name.split()[0]
        self.slug = _slugify(self.name)
        self.domain = f"{self.slug.replace('-', '')}.example"
        self.people = self._people(7)
        self.cto = f"{self.r.choice(FIRST)} {self.r.choice(LAST)}"
        self.systems = self.r.sample(SYSTEMS, 6)
        self.tech = self.r.sample(TECH, 10)
        self.vendors = self.r.sample(VENDORS, 5)
        self.start = ANCHOR + dt.timedelta(days=7 * self.r.randrange(0, 20))

    def _people(self, count: int) -> list[tuple[str, str]]:
        names: list[str] = []
        while len(names) < count:
            name = f"{self.r.choice(FIRST)} {self.r.choice(LAST)}"
            if name not in names:
                names.append(name)
        return list(zip(names, [*ROLES[:count], *["Engineer"] * count], strict=False))

    # -- words and sentences -----------------------------------------------------------

    def person(self) -> str:
        return self.r.choice(self.people)[0]

    def fill(self, template: str, *, title: bool = False) -> str:
        r = self.r
        text = template.format(
            system=r.choice(self.systems), tech=r.choice(self.tech), vendor=r.choice(self.vendors),
            verb_t=r.choice(VERBS).capitalize(), cloud=r.choice(CLOUDS),
            money=f"${r.randrange(8, 240)},000", month=r.choice(
                ["January", "March", "April", "June", "September", "November"]),
        )
        return text[0].upper() + text[1:] if title else text

    def sentence(self) -> str:
        r = self.r
        s = r.choice(self.systems)
        forms = [
            lambda: f"{s.capitalize()} handles about {r.randrange(2, 90) * 100} {self.things} "
                    f"a day and nobody has tested how it behaves at twice that volume.",
            lambda: f"{self.person()} pointed out that {r.choice(ADJECTIVES)} parts of {s} "
                    f"cost the team {r.randrange(2, 15)} hours a week.",
            lambda: f"Moving to {r.choice(self.tech)} {self.fill(r.choice(OUTCOMES))}.",
            lambda: f"The main concern is {self.fill(r.choice(CONCERNS))}, which we will "
                    f"review with {self.person()} in week {r.randrange(2, 52)}.",
            lambda: f"{r.choice(self.vendors)} quoted {r.randrange(3, 60)} days of work to "
                    f"{r.choice(VERBS)} {s}, against our estimate of {r.randrange(10, 90)}.",
            lambda: f"Of the {r.randrange(12, 40)} {self.partners} connected today, "
                    f"{r.randrange(2, 11)} still send files by email and are keyed in by hand.",
            lambda: f"We agreed to {r.choice(VERBS)} {s} before the {self.flows} "
                    f"peak, and to keep the old path running for {r.randrange(2, 9)} weeks.",
            lambda: f"{self.short} spends about {r.randrange(3, 12)}% of revenue on "
                    f"technology, people included, which is in line with its peers.",
            lambda: f"The {r.choice(ADJECTIVES)} handover between {s} and "
                    f"{r.choice(self.systems)} explains most of the incidents since "
                    f"{r.choice(['spring', 'summer', 'the last audit', 'the reorganisation'])}.",
            lambda: f"Since {r.choice(self.tech)} went live, {r.randrange(2, 30)} of the "
                    f"{self.things} that used to fail overnight now retry on their own.",
            lambda: f"Nobody could say who approves changes to {s}; until that is agreed, "
                    f"{self.person()} signs them off.",
            lambda: f"The {r.choice(self.partners)} team asked for a weekly export from {s}, "
                    f"which {r.choice(self.vendors)} can deliver within "
                    f"{r.randrange(2, 8)} weeks.",
            lambda: f"{self.person()} owns the follow-up and reports back at the next "
                    f"{r.choice(['weekly status', 'monthly review', 'board meeting'])}.",
        ]
        return r.choice(forms)()

    def paragraph(self, low: int = 3, high: int = 6) -> str:
        lines, line = [], ""
        for _ in range(self.r.randint(low, high)):
            for word in self.sentence().split():
                if len(line) + len(word) + 1 > 88:
                    lines.append(line)
                    line = word
                else:
                    line = f"{line} {word}" if line else word
        lines.append(line)
        return "\n".join(lines)

    def paragraphs(self, count: int) -> str:
        return "\n\n".join(self.paragraph() for _ in range(count))

    def bullets(self, count: int) -> str:
        return "\n".join(f"- {self.sentence()}" for _ in range(count))

    def table(self, rows: int) -> str:
        r = self.r
        out = ["| System | Runs on | Owner | Notes |", "| --- | --- | --- | --- |"]
        for system in r.sample(self.systems, min(rows, len(self.systems))):
            out.append(f"| {system.capitalize()} | {r.choice(self.tech)} | {self.person()} | "
                       f"{r.choice(ADJECTIVES).capitalize()}, {r.randrange(1, 15)} years old |")
        return "\n".join(out)

    def date(self, weeks_low: int, weeks_high: int) -> dt.date:
        return self.start + dt.timedelta(days=7 * self.r.randrange(weeks_low, weeks_high)
                                         + self.r.randrange(0, 5))


# --- files ------------------------------------------------------------------------------


def _write(path: Path, text: str) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(text, encoding="utf-8")


class _Dumper(yaml.SafeDumper):
    """Multi-line strings as literal blocks (`|`), as a person writes them."""


def _str(dumper: yaml.SafeDumper, value: str) -> yaml.Node:
    style = "|" if "\n" in value else None
    return dumper.represent_scalar("tag:yaml.org,2002:str", value, style=style)


_Dumper.add_representer(str, _str)


def _yaml(data: object) -> str:
    return yaml.dump(data, Dumper=_Dumper, sort_keys=False, allow_unicode=True, width=88)


def _png(width: int, height: int, r: random.Random) -> bytes:
    """A small RGB PNG: a bar chart of random bars on white (a few hundred bytes)."""
    bars = [r.randrange(height // 5, height - 4) for _ in range(8)]
    colour = (r.randrange(20, 200), r.randrange(20, 200), r.randrange(60, 220))
    rows = []
    for y in range(height):
        row = bytearray([0])
        for x in range(width):
            bar = x * len(bars) // width
            inside = x % (width // len(bars)) > 3 and height - y <= bars[bar]
            row += bytes(colour if inside else (255, 255, 255))
        rows.append(bytes(row))

    def chunk(kind: bytes, data: bytes) -> bytes:
        return (struct.pack(">I", len(data)) + kind + data
                + struct.pack(">I", zlib.crc32(kind + data) & 0xFFFFFFFF))

    header = struct.pack(">IIBBBBB", width, height, 8, 2, 0, 0, 0)
    return (b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", header)
            + chunk(b"IDAT", zlib.compress(b"".join(rows), 9)) + chunk(b"IEND", b""))


def _logo(w: Writer, colour: str) -> str:
    letter = w.short[0]
    return (f'<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 64 64" width="64" height="64">'
            f'<rect width="64" height="64" rx="12" fill="{colour}"/>'
            f'<text x="32" y="44" font-size="36" font-family="sans-serif" text-anchor="middle" '
            f'fill="#fff">{letter}</text></svg>\n')


def write_client(folder: Path, w: Writer) -> None:
    """Every file of one client except readers.yml."""
    r = w.r
    red, green, blue = r.randrange(10, 160), r.randrange(10, 160), r.randrange(60, 200)
    colour = f"#{red:02x}{green:02x}{blue:02x}"
    _write(folder / "files" / "logo.svg", _logo(w, colour))
    (folder / "files" / "throughput.png").write_bytes(_png(160, 80, r))
    decisions = _decisions(w)
    _write_client_yml(folder, w, colour, decisions)
    _write_assessment(folder, w)
    _write_roadmap(folder, w, decisions)
    _write_risks(folder, w, decisions)
    for name, text in decisions.items():
        _write(folder / "decisions" / name, text)
    _write_notes(folder, w, decisions)
    _write_pages(folder, w)


def _write_client_yml(folder: Path, w: Writer, colour: str, decisions: dict[str, str]) -> None:
    proposed = next((name for name, text in decisions.items() if "status: proposed" in text),
                    next(iter(decisions)))
    contacts = [{"name": name, "role": role,
                 "email": f"{name.split()[0].lower()}.{name.split()[1].lower()}@{w.domain}"}
                for name, role in w.people[:4]]
    contacts.append({"name": w.cto, "role": "Fractional CTO, Northfield CTO Partners",
                     "email": f"{w.cto.split()[0].lower()}@northfieldcto.example"})
    data = {
        "name": w.name,
        "engagement": {
            "start": w.start,
            "end": w.start + dt.timedelta(days=7 * 78),
            "model": "fractional",
            "cadence": f"{w.r.randint(1, 3)} days a week",
            "phase": "execution",
            "summary": (f"Northfield CTO Partners is acting as {w.short}'s fractional CTO.\n\n"
                        f"**Where we are.** {w.paragraph(2, 3)}\n\n"
                        f"**What needs a decision.** See [the proposed decision]"
                        f"(decisions/{proposed}). {w.sentence()}\n"),
            "next_steps": [w.sentence() for _ in range(4)],
        },
        "contacts": contacts,
        "branding": {"logo": "files/logo.svg", "primary_color": colour},
        "portal": {"show_name_on_login": False},
    }
    _write(folder / "client.yml", _yaml(data))


def _write_assessment(folder: Path, w: Writer) -> None:
    areas = ["Architecture", "Infrastructure and hosting", "Security", "Delivery practices",
             "Data and reporting", "Team and organisation", "Vendor management"]
    scores = []
    for area in areas:
        score = w.r.randint(0, 3)
        scores.append({"area": area, "score": score, "target": min(5, score + w.r.randint(1, 2)),
                       "note": w.sentence()[:90].rstrip(".,") })
    front = _yaml({"title": "Technology assessment", "scores": scores})
    index = (f"---\n{front}---\n\n# Technology assessment\n\n{w.paragraphs(2)}\n\n"
             f"## Summary\n\n{w.paragraphs(2)}\n\n## Top findings\n\n"
             + "\n".join(f"{i}. **{w.fill('{system}').capitalize()}.** {w.sentence()} "
                         f"See [Architecture](architecture.md)." for i in range(1, 6))
             + f"\n\n!!! note \"How to read the scores\"\n    Scores run from 0 to 5. "
               f"{w.sentence()}\n\n## Method\n\n{w.paragraphs(2)}\n")
    _write(folder / "assessment" / "index.md", index)
    architecture = (f"---\ntitle: Architecture and systems\n---\n\n# Architecture and systems\n\n"
                    f"{w.paragraphs(2)}\n\n## What runs where\n\n{w.table(5)}\n\n"
                    f"## Findings\n\n{w.bullets(6)}\n\n## Recommendations\n\n{w.paragraphs(3)}\n")
    _write(folder / "assessment" / "architecture.md", architecture)
    team = (f"---\ntitle: Team and delivery\n---\n\n# Team and delivery\n\n{w.paragraphs(2)}\n\n"
            f"## Delivery baseline\n\n| Measure | {w.short} | Good for a team this size |\n"
            f"| --- | --- | --- |\n| Deploys | {w.r.randint(1, 6)} a month | Several a week |\n"
            f"| Lead time | about {w.r.randint(2, 6)} weeks | Under 2 days |\n\n"
            f"{w.paragraphs(2)}[^baseline]\n\n## Key-person dependencies\n\n{w.bullets(4)}\n\n"
            f"[^baseline]: Measured from the repository and the support mailbox.\n")
    _write(folder / "assessment" / "team.md", team)


def _quarter(day: dt.date) -> str:
    return f"{day.year}-Q{(day.month - 1) // 3 + 1}"


def _write_roadmap(folder: Path, w: Writer, decisions: dict[str, str]) -> None:
    numbers = [name[:4] for name, text in decisions.items() if "internal: true" not in text]
    statuses = ["done", "done", "done", "in-progress", "in-progress", "at-risk", "blocked",
                "planned", "planned", "planned", "dropped"]
    titles = w.r.sample(ITEM_TITLES, 15)
    items = []
    for i, template in enumerate(titles, start=1):
        item: dict[str, object] = {"id": f"R{i}", "title": w.fill(template, title=True),
                                   "workstream": WORKSTREAMS[i % len(WORKSTREAMS)]}
        if i >= 14:
            item["horizon"] = "next" if i == 14 else "later"
        else:
            first = w.date(i * 3, i * 3 + 6)
            last = first + dt.timedelta(days=7 * w.r.randint(4, 30))
            use_quarters = i % 3 == 1
            item["start"] = _quarter(first) if use_quarters else first
            item["end"] = _quarter(last) if use_quarters else last
        item["status"] = "planned" if i >= 14 else statuses[(i - 1) % len(statuses)]
        item["owner"] = w.person()
        if i > 2:
            item["depends_on"] = sorted({f"R{w.r.randint(1, i - 1)}"
                                         for _ in range(w.r.randint(1, 2))},
                                        key=lambda s: int(s[1:]))
        if i % 4 == 0 and numbers:
            item["decisions"] = [w.r.choice(numbers)]
        item["description"] = (w.paragraph(2, 4) + "\n\n" + "\n".join(
            f"- [{'x' if w.r.random() < 0.5 else ' '}] {w.sentence()}" for _ in range(3)) + "\n")
        items.append(item)
    milestones = [{"title": title, "date": w.date(weeks, weeks + 4)} for title, weeks in
                  (("Cut-over weekend", 20), ("Audit fieldwork", 40),
                   ("Old data centre closed", 55))]
    milestones[1]["workstream"] = "Security"
    _write(folder / "roadmap.yml",
           _yaml({"workstreams": WORKSTREAMS, "items": items, "milestones": milestones}))


def _write_risks(folder: Path, w: Writer, decisions: dict[str, str]) -> None:
    numbers = [name[:4] for name, text in decisions.items() if "internal: true" not in text]
    categories = ["technology", "security", "people", "vendor", "delivery", "compliance",
                  "financial", "data"]
    risks = []
    for i, template in enumerate(w.r.sample(RISK_TITLES, 20), start=1):
        likelihood, impact = w.r.randint(1, 5), w.r.randint(1, 5)
        status = "closed" if i % 7 == 0 else ("monitoring" if i % 5 == 0 else "open")
        risk: dict[str, object] = {
            "id": f"RISK-{i:03d}", "title": w.fill(template, title=True),
            "category": w.r.choice(categories),
            "description": w.paragraph(2, 4) + "\n", "likelihood": likelihood, "impact": impact,
            "residual_likelihood": max(1, likelihood - 2), "residual_impact": impact,
            "owner": w.person(), "response": w.r.choice(["mitigate", "mitigate", "accept",
                                                         "transfer", "avoid"]),
            "mitigation": w.bullets(w.r.randint(2, 3)) + "\n", "status": status,
            "trend": w.r.choice(["rising", "steady", "falling"]),
            "raised": w.date(0, 10),
            "review": dt.date(2027, 1, 4) + dt.timedelta(days=7 * w.r.randrange(0, 70)),
        }
        if i % 3 == 0 and numbers:
            risk["decisions"] = [w.r.choice(numbers)]
        if i == 20:
            risk["internal"] = True
        risks.append(risk)
    _write(folder / "risks.yml", _yaml({"risks": risks}))


def _decisions(w: Writer) -> dict[str, str]:
    """Twelve decision files by name: MADR and Nygard alternating, two supersessions."""
    titles = [w.fill(t, title=True) for t in w.r.sample(DECISION_TITLES, 12)]
    names = [f"{n:04d}-{_slugify(t)}.md" for n, t in enumerate(titles, start=1)]
    # 3 (Nygard) is superseded by 5 (Nygard); 4 (MADR) is superseded by 8 (MADR).
    statuses = {1: "accepted", 2: "accepted", 3: "superseded", 4: "superseded", 5: "accepted",
                6: "rejected", 7: "accepted", 8: "accepted", 9: "proposed", 10: "accepted",
                11: "accepted", 12: "proposed"}
    out = {}
    for n, (title, name) in enumerate(zip(titles, names, strict=True), start=1):
        day = w.date(n * 4, n * 4 + 3)
        earlier = names[w.r.choice([k for k in range(n - 1) if k != 9])] if n > 1 else None
        see = (f"This follows [{earlier[:4]}]({earlier}).\n\n" if earlier else "")
        if n % 2 == 1:  # Nygard / adr-tools
            status = {"superseded": f"Superseded by [5. {titles[4]}]({names[4]})"}.get(
                statuses[n], statuses[n].capitalize())
            if n == 5:
                status += f"\n\nSupersedes [3. {titles[2]}]({names[2]})"
            out[name] = (f"# {n}. {title}\n\nDate: {day}\n\n## Status\n\n{status}\n\n"
                         f"## Context\n\n{see}{w.paragraphs(3)}\n\n## Decision\n\n"
                         f"{w.paragraphs(2)}\n\n## Consequences\n\n{w.bullets(5)}\n")
            continue
        front: dict[str, object] = {
            "status": statuses[n] if n != 4 else f"superseded by {names[7][:4]}",
            "date": day,
            "decision-makers": f"{w.people[0][0]} ({w.people[0][1]}), {w.cto} (fractional CTO)",
            "consulted": ", ".join(p for p, _ in w.people[1:4]),
            "informed": "Engineering team, operations managers",
            "kind": w.r.choice(["architecture", "build-vs-buy", "vendor", "process"]),
        }
        if n == 8:
            front["supersedes"] = names[3][:4]
        if n == 10:
            front["internal"] = True
        options = [w.fill(t, title=True) for t in w.r.sample(DECISION_TITLES, 3)]
        out[name] = (
            f"---\n{_yaml(front)}---\n# {title}\n\n## Context and Problem Statement\n\n{see}"
            f"{w.paragraphs(2)}\n\n## Decision Drivers\n\n{w.bullets(4)}\n\n"
            "## Considered Options\n\n" + "\n".join(f"* {o}" for o in options)
            + f"\n\n## Decision Outcome\n\nChosen option: \"{options[0]}\", because "
            f"{w.sentence()[0].lower()}{w.sentence()[1:]}\n\n### Consequences\n\n"
            f"* Good, because {w.sentence()}\n* Bad, because {w.sentence()}\n\n"
            "## Pros and Cons of the Options\n\n"
            + "\n\n".join(f"### {o}\n\n* Good, because {w.sentence()}\n"
                          f"* Bad, because {w.sentence()}" for o in options)
            + f"\n\n=== \"Cost\"\n\n    {w.sentence()}\n\n=== \"Timing\"\n\n    {w.sentence()}\n"
        )
    return out


def _write_notes(folder: Path, w: Writer, decisions: dict[str, str]) -> None:
    visible = [name for name, text in decisions.items() if "internal: true" not in text]
    for i in range(10):
        day = w.date(4 + i * 5, 8 + i * 5)
        kind = NOTE_KINDS[i % len(NOTE_KINDS)]
        title = {"status": f"Weekly status, week {day.isocalendar()[1]}",
                 "meeting": f"Meeting with {w.person()}",
                 "board-update": f"Board update, {_quarter(day)}",
                 "vendor-review": f"Vendor review: {w.r.choice(w.vendors)}"}[kind]
        front: dict[str, object] = {"title": title, "kind": kind}
        if kind == "meeting":
            front["attendees"] = [w.person(), w.person(), w.cto]
        if i == 6:
            front["internal"] = True
        decision = w.r.choice(visible)
        body = (f"# {title}\n\n{w.paragraph()}\n\n## Done\n\n{w.bullets(4)}\n\n"
                f"## Next\n\n{w.bullets(3)}\n\n## Needs attention\n\n{w.paragraph(2, 3)} "
                f"See [decision {decision[:4]}](../decisions/{decision}).\n")
        if kind == "status":
            body += (f"\n??? info \"Numbers this week\"\n    {w.sentence()}\n\n"
                     f"```text\ndeploys: {w.r.randint(0, 9)}\n"
                     f"incidents: {w.r.randint(0, 3)}\n```\n")
        slug = _slugify(title)
        _write(folder / "notes" / f"{day.isoformat()}-{slug}.md",
               f"---\n{_yaml(front)}---\n\n{body}")


def _write_pages(folder: Path, w: Writer) -> None:
    systems = (f"---\ntitle: Systems map\n---\n\n# Systems map\n\n{w.paragraph()}\n\n"
               f"![Throughput by month of {w.short}'s main systems](../files/throughput.png)\n\n"
               f"## What runs where\n\n{w.table(6)}\n\n{w.paragraphs(2)}\n")
    _write(folder / "pages" / "systems-map.md", systems)
    incident = (f"---\ntitle: Incident response\n---\n\n# Incident response\n\n"
                f"{w.paragraph()}\n\n## Severity levels\n\n| Level | Meaning | Who is called |\n"
                f"| --- | --- | --- |\n| 1 | {w.short} cannot take {w.things} | {w.person()} |\n"
                f"| 2 | Degraded service | {w.person()} |\n| 3 | Inconvenience | The team |\n\n"
                f"## Steps\n\n" + "\n".join(f"{i}. {w.sentence()}" for i in range(1, 8))
                + f"\n\n```bash\nkubectl -n {w.slug} rollout undo deployment/web\n```\n\n"
                f"See the [systems map](../systems-map.md).\n")
    _write(folder / "pages" / "runbooks" / "incident-response.md", incident)
    release = (f"---\ntitle: Release process\n---\n\n# Release process\n\n{w.paragraphs(2)}\n\n"
               f"## Checklist\n\n" + "\n".join(f"- [ ] {w.sentence()}" for _ in range(6))
               + f"\n\n{w.paragraphs(2)}\n")
    _write(folder / "pages" / "runbooks" / "release-process.md", release)


def generate_practice(target: Path, clients: int = 20, *, seed: int = 1,
                      passphrase: str = BENCH_PASSPHRASE, source: Path = REPO) -> list[str]:
    """Write a practice of `clients` synthetic clients into `target` (emptied first).

    Returns the client slugs. `source` gives mkdocs.yml, theme/ and content/.
    """
    if target.exists():
        shutil.rmtree(target)
    target.mkdir(parents=True)
    shutil.copyfile(source / "mkdocs.yml", target / "mkdocs.yml")
    for folder in ("theme", "content"):
        if (source / folder).is_dir():
            shutil.copytree(source / folder, target / folder)
    slugs = []
    for index in range(clients):
        w = Writer(index, seed)
        folder = target / "clients" / w.slug
        write_client(folder, w)
        add_reader(folder / "readers.yml", "bench", "Benchmark reader", passphrase)
        slugs.append(w.slug)
    return slugs


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("target", type=Path, help="folder to write (emptied first)")
    parser.add_argument("--clients", type=int, default=20)
    parser.add_argument("--seed", type=int, default=1)
    args = parser.parse_args(argv)
    slugs = generate_practice(args.target, args.clients, seed=args.seed)
    print(f"wrote {len(slugs)} clients into {args.target}: {', '.join(slugs)}", file=sys.stderr)


if __name__ == "__main__":
    main()
