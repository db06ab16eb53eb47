"""Pyodide runtime for the browser: pinned downloads, the engine wheel, bytecode."""
