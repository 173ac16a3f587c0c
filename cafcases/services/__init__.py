"""Writes that span models or have side effects; views, admin, commands and the API call these."""

from .identifiers import identifier_issue_waiting_number

__all__ = ["identifier_issue_waiting_number"]
