"""SVG helpers the chart tests share: parse a chart as XML and read its titles and links."""

from __future__ import annotations

import xml.etree.ElementTree as ET

NS = "{http://www.w3.org/2000/svg}"


def parse(svg: str) -> ET.Element:
    """The SVG as XML: it must be one well-formed element, Markdown-safe."""
    assert svg.startswith("<svg ") and svg.endswith("</svg>")
    assert "\n\n" not in svg and "<?xml" not in svg
    root = ET.fromstring(svg)
    assert root.tag == f"{NS}svg"
    assert root.get("aria-labelledby") and root.find(f"{NS}title") is not None
    assert root.find(f"{NS}desc") is not None
    return root


def titles(root: ET.Element) -> list[str]:
    return [t.text or "" for t in root.iter(f"{NS}title")]


def links(root: ET.Element) -> dict[str, ET.Element]:
    return {a.get("href", ""): a for a in root.iter(f"{NS}a")}
