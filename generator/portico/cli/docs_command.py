"""`portico docs`: Portico's documentation, read on this computer."""

from __future__ import annotations

import click

from portico.cli.app import main
from portico.manual import TOPICS

_WIDTH = max(len(topic) for topic in TOPICS) + 2
_HELP = f"""Open Portico's documentation in your browser, at TOPIC's page.

The documentation ships with Portico. It is turned into a small web site and shown from
this computer (http://127.0.0.1, with search) until you press Ctrl+C; nothing is fetched
from the internet. Without TOPIC, it opens at the home page.

\b
Topics:
{chr(10).join(f"  {topic:<{_WIDTH}}{about}" for topic, about in TOPICS.items())}

\b
Examples:
  portico docs hosting
  portico docs content-model --print-path
"""


@main.command("docs", help=_HELP,
              short_help="Read Portico's documentation in your browser, offline.")
@click.argument("topic", required=False)
@click.option("--print-path", is_flag=True,
              help="Print where TOPIC's Markdown file is (to open it in an editor) and stop.")
@click.option("--port", type=click.IntRange(0, 65535), default=0, metavar="PORT",
              help="Port on 127.0.0.1 (default: any free one).")
@click.option("--no-browser", is_flag=True,
              help="Print the address without opening a browser.")
def docs(topic: str | None, print_path: bool, port: int, no_browser: bool) -> None:
    from portico.manual import serve_manual, topic_file

    if print_path:
        click.echo(str(topic_file(topic)))
        return
    serve_manual(topic, port=port, open_browser=not no_browser, echo=click.echo)
