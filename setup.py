"""Everything else is in pyproject.toml: this only lists the packages, which a static
`packages.find` cannot do here, as Portico's docs/ joins them as `portico.docs`."""

from setuptools import find_namespace_packages, setup

setup(packages=[*find_namespace_packages("generator", include=["portico", "portico.*"]),
                "portico.docs"])
