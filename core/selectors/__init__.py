"""The read paths of reference data, scope and the audit trail."""
