"""A local S3-compatible server (moto in server mode, on loopback) for storage tests: no network, no account."""

from __future__ import annotations

import socket
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from typing import Any

import boto3
from moto.server import ThreadedMotoServer

BUCKET = "academy-test-files"
CREDENTIALS = {"AWS_ACCESS_KEY_ID": "testing", "AWS_SECRET_ACCESS_KEY": "testing", "AWS_DEFAULT_REGION": "eu-west-2"}


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


@dataclass(frozen=True)
class S3Server:
    endpoint_url: str

    def client(self) -> Any:
        return boto3.client(
            "s3",
            endpoint_url=self.endpoint_url,
            aws_access_key_id=CREDENTIALS["AWS_ACCESS_KEY_ID"],
            aws_secret_access_key=CREDENTIALS["AWS_SECRET_ACCESS_KEY"],
            region_name=CREDENTIALS["AWS_DEFAULT_REGION"],
        )

    def object_keys(self) -> list[str]:
        listing = self.client().list_objects_v2(Bucket=BUCKET)
        return [item["Key"] for item in listing.get("Contents", [])]

    def storage_settings(self) -> dict[str, Any]:
        """STORAGES["default"] as academy/settings/base.py builds it for DJANGO_S3_BUCKET."""
        return {
            "BACKEND": "storages.backends.s3.S3Storage",
            "OPTIONS": {
                "bucket_name": BUCKET,
                "endpoint_url": self.endpoint_url,
                "region_name": CREDENTIALS["AWS_DEFAULT_REGION"],
                "access_key": CREDENTIALS["AWS_ACCESS_KEY_ID"],
                "secret_key": CREDENTIALS["AWS_SECRET_ACCESS_KEY"],
                "addressing_style": "path",
                "default_acl": None,
                "querystring_auth": True,
                "querystring_expire": 60,
                "file_overwrite": False,
            },
        }

    def environment(self) -> dict[str, str]:
        """The environment a portal process needs to use this store (web nodes, workers)."""
        return {
            **CREDENTIALS,
            "DJANGO_S3_BUCKET": BUCKET,
            "DJANGO_S3_ENDPOINT_URL": self.endpoint_url,
            "DJANGO_S3_REGION": CREDENTIALS["AWS_DEFAULT_REGION"],
            "DJANGO_S3_ADDRESSING_STYLE": "path",
        }


@contextmanager
def s3_server() -> Iterator[S3Server]:
    port = free_port()
    server = ThreadedMotoServer(ip_address="127.0.0.1", port=port, verbose=False)
    server.start()
    try:
        s3 = S3Server(endpoint_url=f"http://127.0.0.1:{port}")
        s3.client().create_bucket(
            Bucket=BUCKET, CreateBucketConfiguration={"LocationConstraint": CREDENTIALS["AWS_DEFAULT_REGION"]}
        )
        yield s3
    finally:
        server.stop()
