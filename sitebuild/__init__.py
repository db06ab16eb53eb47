"""Build helpers for the static site: vendored Pyodide runtime and a local server."""
