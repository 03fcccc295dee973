"""Typer apps: each command parses its options, calls a use-case and renders the result.

Module-level imports here are limited to Typer and the standard library, so that
``osp --help`` and ``osp --version`` stay fast; everything else is imported inside the
command that needs it.
"""
