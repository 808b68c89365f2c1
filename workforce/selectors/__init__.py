"""The read paths that pages and the API share."""
