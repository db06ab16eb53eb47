"""学时自查's rules core: rule files in, explained results out, the same code in CPython and Pyodide.

Four layers, imports running one way (doors -> batch, rulefiles -> engine -> models):
`models` what the data is; `engine` how a case is evaluated (no I/O); `rulefiles` rule files
and worked examples on disk; `batch` staff sheets; `doors` the ways in (CLI, page, studio).
"""
