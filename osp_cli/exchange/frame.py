"""A tiny reader for the binary framing shared by the exchange formats."""

from __future__ import annotations

import json
import struct

#: The first bytes of an assignment and of a practitioner's key hand-over. They are
#: here, where nothing heavy is imported, so that 'osp import' can refuse another kind
#: of file before it asks for the passphrase; assignment.py and handover.py check the
#: rest (the signature first).
ASSIGNMENT_MAGIC = b"OSPAS"
HANDOVER_MAGIC = b"OSPHO"
#: The least either can be: magic, version, signer's key, body length, signature.
SIGNED_MIN = 42 + 64


class FrameError(Exception):
    """The bytes do not have the expected layout. ``reason`` is plain and secret-free."""

    def __init__(self, reason: str) -> None:
        super().__init__(reason)
        self.reason = reason


class Reader:
    """Reads fixed-size and length-prefixed fields; every overrun is a FrameError."""

    def __init__(self, blob: bytes, what: str) -> None:
        self.blob = blob
        self.pos = 0
        self.what = what

    def take(self, size: int) -> bytes:
        if size < 0 or self.pos + size > len(self.blob):
            raise FrameError(f"the {self.what} has been cut short or damaged")
        chunk = self.blob[self.pos : self.pos + size]
        self.pos += size
        return chunk

    def u32(self) -> int:
        value: int = struct.unpack(">I", self.take(4))[0]
        return value

    def sized(self, limit: int) -> bytes:
        """A 4-byte big-endian length, then that many bytes (at most ``limit``)."""
        size = self.u32()
        if size > limit:
            raise FrameError(f"the {self.what} has been damaged (a length is out of range)")
        return self.take(size)

    @property
    def remaining(self) -> int:
        return len(self.blob) - self.pos

    def end(self) -> None:
        """Every byte must have been read."""
        if self.remaining:
            raise FrameError("it has unexpected bytes at the end")


def open_frame(
    blob: bytes, magic: bytes, version: int | tuple[int, ...], min_len: int, kind: str
) -> Reader:
    """Check the magic and version (one, or any of several), and return a Reader just
    past them."""
    if len(blob) < min_len or blob[: len(magic)] != magic:
        raise FrameError(f"it is not an osp {kind}, or it has been cut short")
    versions = version if isinstance(version, tuple) else (version,)
    if blob[len(magic)] not in versions:
        raise FrameError("it was written in a format this version of osp cannot read")
    reader = Reader(blob, kind)
    reader.take(len(magic) + 1)
    return reader


def u32(value: int) -> bytes:
    return struct.pack(">I", value)


def sized(data: bytes) -> bytes:
    return u32(len(data)) + data


def canonical_json(data: object) -> bytes:
    """UTF-8 JSON with sorted keys and no spaces: the bytes that are signed or sealed."""
    return json.dumps(data, sort_keys=True, separators=(",", ":"), ensure_ascii=False).encode()
