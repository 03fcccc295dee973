"""A child process that saves answers through osp's Python API, for the reliability tests.

Usage: ``python save_worker.py WORKBOOK PREFIX START COUNT [--hang-before-rename] [--journal]``
with the passphrase as the first line of standard input (never argv).

It prints ``ready`` once the workbook is open, then ``ack <question id>`` after each
save has returned (that is, after the data is durable). Errors go through the same
wording as the CLI's error boundary and give the same exit codes.

``--journal`` saves each answer as osp does (the workbook's records, one journal record
per save); without it, each save is a full rewrite of the file.
``--hang-before-rename`` makes the first save stop for good after the temp file is
written and fsynced but before it is renamed, so a test can kill it there for sure.
"""

from __future__ import annotations

import os
import sys
import time
from pathlib import Path


def main(argv: list[str]) -> int:
    from osp_cli.errors import OspError
    from osp_cli.vault.store import Vault
    from osp_cli.workbook import model

    path, prefix, start, count = Path(argv[0]), argv[1], int(argv[2]), int(argv[3])
    if "--hang-before-rename" in argv:
        real_replace = os.replace

        def hang(src: object, dst: object) -> None:
            if ".tmp-" in str(src):
                print("hanging", flush=True)
                time.sleep(3600)
            real_replace(src, dst)  # type: ignore[arg-type]

        os.replace = hang  # type: ignore[assignment]
    passphrase = sys.stdin.readline().rstrip("\n")
    try:
        if "--journal" in argv:
            book = Vault.open(path, passphrase, model.CODEC)
            print("ready", flush=True)
            for i in range(start, start + count):
                qid = f"{prefix}{i}"
                book.update(model.set_answer("reliability", 1, qid, f"answer {qid}"))
                print(f"ack {qid}", flush=True)
        else:
            vault = Vault.open(path, passphrase)
            print("ready", flush=True)
            for i in range(start, start + count):
                qid = f"{prefix}{i}"
                change = model.set_answer("reliability", 1, qid, f"answer {qid}")
                vault.update(model.on_json(change))
                print(f"ack {qid}", flush=True)
    except OspError as error:
        from osp_cli.cli.boundary import report_error

        report_error(error)
        return int(error.exit_code)
    print("done", flush=True)
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
