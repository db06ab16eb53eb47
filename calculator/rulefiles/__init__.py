"""Rule files, case files and worked examples on disk: reading them with Chinese messages,
the author's checks (`validate`), and checking each worked example against the engine.
"""
