"""The exercise model, its strict TOML loader and the built-in catalogue."""
