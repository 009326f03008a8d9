"""Bulk writer for the audit chains (moved to audit.bulk: it must build records exactly as audit.log does)."""
from audit.bulk import ChainWriter

__all__ = ["ChainWriter"]
