"""The build's parent process pays the engine's first-use costs once, for every worker it
forks, and leaves no plugin instance behind (each portal's build starts from none)."""

from __future__ import annotations

from pathlib import Path

from mkdocs.config import config_options
from mkdocs.config.defaults import MkDocsConfig

from portico.engine.build import warm_up

REPO = Path(__file__).resolve().parents[2]


def _cached_plugins() -> int:
    return sum(len(option.plugin_cache) for _, option in MkDocsConfig._schema
               if isinstance(option, config_options.Plugins))


def test_the_practice_config_warms_the_extensions_and_keeps_no_plugin() -> None:
    from material.extensions import emoji

    emoji._load_twemoji_index.cache_clear()
    warm_up(REPO / "mkdocs.yml")
    assert emoji._load_twemoji_index.cache_info().currsize == 1  # the emoji index is read
    assert _cached_plugins() == 0


def test_a_broken_or_missing_config_is_left_for_the_build_to_report(tmp_path: Path) -> None:
    broken = tmp_path / "mkdocs.yml"
    broken.write_text("site_name: [unclosed\n", encoding="utf-8")
    warm_up(broken)  # no exception: the build itself says what is wrong, at its line
    warm_up(tmp_path / "absent.yml")
    assert _cached_plugins() == 0
