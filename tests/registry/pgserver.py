"""A throwaway PostgreSQL cluster for the registry tests, from Debian's ``postgresql`` package.

CI starts one in ``.ci/run`` and exports ``DRUG_VIEWER_TEST_PG``; elsewhere the fixtures call ``start``
here. PostgreSQL refuses to run as root, so as root the server runs as the ``postgres`` user. TCP on
loopback asks for a password (scram-sha-256), so a wrong password is really refused.
"""

from __future__ import annotations

import glob
import os
import secrets
import shutil
import socket
import subprocess
import tempfile
from dataclasses import dataclass
from pathlib import Path


def find_binary(name: str) -> str:
    found = shutil.which(name)
    if found:
        return found
    candidates = sorted(glob.glob(f"/usr/lib/postgresql/*/bin/{name}"))
    if not candidates:
        raise FileNotFoundError(f"{name} not found (Debian package 'postgresql')")
    return candidates[-1]


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


@dataclass
class Server:
    url: str
    data: Path
    base: Path
    prefix: list[str]

    def stop(self) -> None:
        subprocess.run(
            [*self.prefix, find_binary("pg_ctl"), "-D", str(self.data), "-m", "immediate", "stop"],
            capture_output=True,
            check=False,
        )
        shutil.rmtree(self.base, ignore_errors=True)


def start() -> Server:
    """initdb and start on a free loopback port; raises OSError or CalledProcessError when it cannot."""
    prefix: list[str] = []
    base = Path(tempfile.mkdtemp(prefix="drug-viewer-pg-"))
    if os.geteuid() == 0:
        prefix = ["runuser", "-u", "postgres", "--"]
        shutil.chown(base, "postgres", "postgres")
    password = secrets.token_hex(12)
    pwfile = base / "pw"
    pwfile.write_text(password + "\n")
    if prefix:
        shutil.chown(pwfile, "postgres", "postgres")
    data = base / "data"
    port = free_port()
    try:
        subprocess.run(
            [
                *prefix,
                find_binary("initdb"),
                "-D",
                str(data),
                "-U",
                "postgres",
                "-E",
                "UTF8",
                "--no-sync",
                "--auth-host=scram-sha-256",
                "--auth-local=trust",
                f"--pwfile={pwfile}",
            ],
            check=True,
            capture_output=True,
            timeout=120,
        )
        options = f"-c listen_addresses=127.0.0.1 -p {port} -k {base} -c fsync=off -c full_page_writes=off"
        subprocess.run(
            [*prefix, find_binary("pg_ctl"), "-D", str(data), "-o", options, "-l", str(base / "log"), "-w", "start"],
            check=True,
            capture_output=True,
            timeout=120,
        )
    except BaseException:
        shutil.rmtree(base, ignore_errors=True)
        raise
    return Server(f"postgresql://postgres:{password}@127.0.0.1:{port}/postgres", data, base, prefix)
