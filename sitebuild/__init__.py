"""The static site's build, in three parts whose imports run one way (build -> steps -> context):

* ``runtime/``  the Python runtime for the browser: pinned Pyodide and wheels, the engine wheel, bytecode
* ``site/``     the site's steps: data and pages, service worker, .gz siblings, security headers, local server
* ``guides/``   the policy guides, generated from the validated rules and built with mkdocs-material

``build.py`` lists the steps and runs them over one ``context.BuildContext``.
"""
