"""The ways into the engine: the command line (`cli`, `batch_cli`), the calculator and batch
pages' bridge (`browser`) and the rule-writing studio's bridge (`studio`), both run in Pyodide.
"""
