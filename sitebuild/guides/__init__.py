"""Policy guides: Markdown pages generated from the validated rules, built with mkdocs-material."""
