"""The thin outer layer: settings, the CLI, the JSON API and the search page."""
