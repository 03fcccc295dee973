"""Files exchanged between participant and practitioner, as pure versioned formats.

- :mod:`keystore` — the practitioner's private keys, sealed under their passphrase;
- :mod:`assignment` — signed assignments (practitioner → participant);
- :mod:`summary` — the summary model (JSON with ``schema_version``);
- :mod:`sealed` — summaries sealed with HPKE to the practitioner (participant → practitioner);
- :mod:`identifying` — heuristics for text that may identify someone.

Everything here is bytes in, bytes out, except :mod:`files`, the one place that reads and
writes exchange files on disk. See docs/formats.md.
"""
