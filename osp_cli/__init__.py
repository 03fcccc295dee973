"""osp: an offline, encrypted terminal workbook for between-session personal work."""

__version__ = "0.1.0"
