"""A real S3 API for the storage tests: moto's standalone server, started once per test process
on a free port, and a fresh bucket per test with the portal's uploads pointed at it."""

import socket
import subprocess
import sys
import time
import urllib.request
import uuid

import boto3
import pytest

from core.storage import media_storage
from support.tests.conftest import buyer, merchant, site  # noqa: F401 - a seller and a buyer

REGION = "eu-central-1"
CREDENTIALS = {"aws_access_key_id": "portal-test", "aws_secret_access_key": "portal-test-secret"}


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


@pytest.fixture(scope="session")
def s3_endpoint():
    port = free_port()
    server = subprocess.Popen(  # noqa: S603 - our own interpreter, fixed arguments
        [sys.executable, "-m", "moto.server", "-H", "127.0.0.1", "-p", str(port)],
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    endpoint = f"http://127.0.0.1:{port}"
    deadline = time.monotonic() + 20
    while True:
        try:
            urllib.request.urlopen(f"{endpoint}/moto-api/", timeout=1)  # noqa: S310 - local
            break
        except OSError:
            if server.poll() is not None or time.monotonic() > deadline:
                server.kill()
                pytest.fail("moto's S3 server did not start")
            time.sleep(0.1)
    yield endpoint
    server.terminate()
    server.wait(timeout=10)


@pytest.fixture
def s3_client(s3_endpoint):
    return boto3.client("s3", endpoint_url=s3_endpoint, region_name=REGION, **CREDENTIALS)


@pytest.fixture
def bucket(s3_client, s3_endpoint, settings, tmp_path):
    """A new bucket; uploads and renditions go there, configured as an operator would."""
    name = f"portal-media-{uuid.uuid4().hex[:12]}"
    s3_client.create_bucket(Bucket=name, CreateBucketConfiguration={"LocationConstraint": REGION})
    url = f"s3://{CREDENTIALS['aws_access_key_id']}:{CREDENTIALS['aws_secret_access_key']}@{name}"
    query = f"endpoint_url={s3_endpoint}&region={REGION}&addressing_style=path"
    settings.MEDIA_ROOT = tmp_path / "media-never-used"
    settings.STORAGES = {
        **settings.STORAGES,
        "default": media_storage({"MEDIA_STORAGE_URL": f"{url}?{query}"}),
    }
    return name
