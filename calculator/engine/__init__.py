"""How a case is evaluated: inheritance resolved, facts derived, conditions tested, activities
converted, one module per mechanism, the trace kept as data and put into words in one place.

No I/O and no global state, so the same code runs unchanged in CPython and Pyodide.
"""
