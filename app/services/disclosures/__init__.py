"""Công khai: the lists of nominations Sở Nội vụ publishes for comment (`lists`), the opinions
received about them (`opinions`), and what the public may read of them (`public`)."""

from app.services.disclosures.lists import DISCLOSURE_SORTING

__all__ = ["DISCLOSURE_SORTING"]
