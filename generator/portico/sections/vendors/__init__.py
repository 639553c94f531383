"""vendors.yml: the vendor register, with scorecards, SLAs, contract terms and notice dates."""

from portico.sections.vendors.section import VendorsSection

__all__ = ["VendorsSection"]
