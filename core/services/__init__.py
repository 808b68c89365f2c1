"""The write paths of reference data, users and the audit trail."""
