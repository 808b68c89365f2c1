"""Plan targets and scenarios, the pure part: the rules their values meet, the target file
format, and how a scenario's assumptions resolve for a staff group. No Django import.
"""
