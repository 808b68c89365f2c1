"""The projection: supply, demand and gap by organisation, ICS and nation, with uncertainty."""
