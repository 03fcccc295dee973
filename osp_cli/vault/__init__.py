"""The encrypted workbook file: format (bytes in, bytes out) and durable storage."""
