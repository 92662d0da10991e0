"""A real S3-compatible object store for the tests: moto's standalone server, in a process of its own.

The suite starts `moto_server` (from `moto[server]`) on a free port once per test process and
talks to it over HTTP with the same django-storages/boto3 code production uses; nothing in
the client library is replaced. Each test that asks for the store gets a bucket of its own.
"""

from __future__ import annotations

import socket
import subprocess
import sys
import time
import urllib.error
import urllib.request
import uuid
from dataclasses import dataclass
from pathlib import Path

MOTO_SERVER = str(Path(sys.executable).with_name("moto_server"))
# moto accepts any key; these only have to be present and the same on every client.
ACCESS_KEY, SECRET_KEY, REGION = "helpcenter-test", "helpcenter-test-secret", "us-east-1"


@dataclass
class ObjectStore:
    endpoint: str
    process: subprocess.Popen

    def client(self):
        import boto3

        return boto3.client(
            "s3",
            endpoint_url=self.endpoint,
            aws_access_key_id=ACCESS_KEY,
            aws_secret_access_key=SECRET_KEY,
            region_name=REGION,
        )

    def new_bucket(self) -> str:
        name = f"helpcenter-{uuid.uuid4().hex[:12]}"
        self.client().create_bucket(Bucket=name)
        return name

    def env(self, bucket: str) -> dict[str, str]:
        """The settings (environment variables) that put a site's uploads in `bucket`."""
        return {
            "DJANGO_S3_BUCKET": bucket,
            "DJANGO_S3_ENDPOINT_URL": self.endpoint,
            "DJANGO_S3_REGION": REGION,
            "DJANGO_S3_ACCESS_KEY_ID": ACCESS_KEY,
            "DJANGO_S3_SECRET_ACCESS_KEY": SECRET_KEY,
        }


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def start_object_store(log: Path) -> ObjectStore:
    """Start moto's server and wait until it answers (a few seconds at most)."""
    port = _free_port()
    with log.open("wb") as out:
        process = subprocess.Popen(
            [MOTO_SERVER, "-H", "127.0.0.1", "-p", str(port)], stdout=out, stderr=subprocess.STDOUT
        )
    endpoint = f"http://127.0.0.1:{port}"
    deadline = time.monotonic() + 30
    while time.monotonic() < deadline:
        if process.poll() is not None:
            raise RuntimeError(f"moto_server exited: {log.read_text()[-2000:]}")
        try:
            with urllib.request.urlopen(f"{endpoint}/moto-api/", timeout=2):
                return ObjectStore(endpoint, process)
        except urllib.error.HTTPError:
            return ObjectStore(endpoint, process)
        except OSError:
            time.sleep(0.1)
    stop_object_store(ObjectStore(endpoint, process))
    raise RuntimeError(f"moto_server did not answer within 30 s: {log.read_text()[-2000:]}")


def stop_object_store(store: ObjectStore) -> None:
    store.process.terminate()
    try:
        store.process.wait(timeout=10)
    except subprocess.TimeoutExpired:
        store.process.kill()
        store.process.wait()
