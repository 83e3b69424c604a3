"""The Textual UI: the only package that imports Textual. Screens present and route; the service decides."""
