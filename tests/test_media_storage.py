"""Uploaded files go through Django's storage API: the same contract on the local
directory and on S3 (moto's in-process S3), and backup/restore read through it."""

from __future__ import annotations

import os
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import boto3
import pytest
from django.core.files.base import ContentFile
from django.core.files.storage import Storage, storages
from moto import mock_aws

from forum.backup import dump_media, load_media

ROOT = Path(__file__).resolve().parent.parent
BUCKET = "agora-media-test"
S3_OPTIONS = {
    "bucket_name": BUCKET,
    "access_key": "testing",
    "secret_key": "testing",
    "region_name": "us-east-1",
    "file_overwrite": False,
    "default_acl": None,
}


@pytest.fixture
def local_storage(settings: Any, tmp_path: Path) -> Storage:
    settings.MEDIA_ROOT = tmp_path / "media"
    settings.STORAGES = {**settings.STORAGES, "default": {
        "BACKEND": "django.core.files.storage.FileSystemStorage"}}  # fmt: skip
    return storages["default"]


@pytest.fixture
def s3_storage(settings: Any, monkeypatch: Any) -> Iterator[Storage]:
    for name in ["AWS_ACCESS_KEY_ID", "AWS_SECRET_ACCESS_KEY", "AWS_SESSION_TOKEN"]:
        monkeypatch.setenv(name, "testing")
    with mock_aws():
        boto3.client("s3", region_name="us-east-1").create_bucket(Bucket=BUCKET)
        settings.STORAGES = {**settings.STORAGES, "default": {
            "BACKEND": "storages.backends.s3.S3Storage", "OPTIONS": S3_OPTIONS}}  # fmt: skip
        yield storages["default"]


@pytest.fixture(params=["local", "s3"])
def media_storage(request: Any) -> Storage:
    return request.getfixturevalue(f"{request.param}_storage")


def test_storage_contract(media_storage: Storage):
    name = media_storage.save("avatars/7/face.png", ContentFile(b"\x89PNG one"))
    assert name == "avatars/7/face.png"
    assert media_storage.exists(name) and media_storage.size(name) == 8
    with media_storage.open(name, "rb") as handle:
        assert handle.read() == b"\x89PNG one"
    # Names are never overwritten: a second upload of the same name gets another.
    second = media_storage.save("avatars/7/face.png", ContentFile(b"\x89PNG two"))
    assert second != name and second.startswith("avatars/7/face")
    directories, files = media_storage.listdir("avatars/7")
    assert sorted(files) == sorted([Path(name).name, Path(second).name])
    assert "face" in media_storage.url(name)
    media_storage.delete(name)
    assert not media_storage.exists(name) and media_storage.exists(second)


def test_s3_urls_point_at_the_bucket(s3_storage: Storage):
    name = s3_storage.save("attachments/a.jpg", ContentFile(b"\xff\xd8"))
    url = s3_storage.url(name)
    assert BUCKET in url and "attachments/a.jpg" in url
    assert "Signature" in url or "X-Amz-Signature" in url  # private bucket: signed links
    obj = boto3.client("s3", region_name="us-east-1").get_object(Bucket=BUCKET, Key=name)
    assert obj["Body"].read() == b"\xff\xd8"


def test_media_backup_reads_and_restores_through_the_storage(
    s3_storage: Storage, settings: Any, tmp_path: Path
):
    s3_storage.save("avatars/1/a.png", ContentFile(b"a"))
    s3_storage.save("attachments/2026/b.jpg", ContentFile(b"bb"))
    assert dump_media(tmp_path / "media.tar.gz", s3_storage) == 2
    # Restored into an empty local directory: the archive is storage-neutral.
    settings.MEDIA_ROOT = tmp_path / "restored"
    local = storages.create_storage({"BACKEND": "django.core.files.storage.FileSystemStorage"})
    assert load_media(tmp_path / "media.tar.gz", local) == (2, 0)
    assert (tmp_path / "restored" / "attachments/2026/b.jpg").read_bytes() == b"bb"
    assert load_media(tmp_path / "media.tar.gz", local) == (0, 2)  # already there


def _default_storage_in_a_process(**variables: str) -> subprocess.CompletedProcess[str]:
    keep = {"PATH", "HOME", "LANG", "TMPDIR"}
    env = {key: value for key, value in os.environ.items() if key in keep}
    env.update(DJANGO_SETTINGS_MODULE="forum.settings", DEBUG="0", SECRET_KEY="x",
               DATABASE_URL="sqlite:////tmp/agora-storage-check.sqlite3", **variables)  # fmt: skip
    script = (
        "import django; django.setup()\n"
        "from django.conf import settings\n"
        "from django.core.files.storage import default_storage as s\n"
        "print(type(s._wrapped if hasattr(s, '_wrapped') else s).__name__)\n"
        "s._setup()\n"
        "print(type(s._wrapped).__name__, s._wrapped.bucket_name, s._wrapped.endpoint_url,"
        " settings.SERVE_MEDIA)\n"
    )
    return subprocess.run(  # noqa: S603
        [sys.executable, "-c", script], cwd=ROOT, env=env, capture_output=True, text=True,
        timeout=60, check=False,
    )  # fmt: skip


def test_media_storage_s3_setting_selects_the_bucket():
    result = _default_storage_in_a_process(
        MEDIA_STORAGE="s3",
        AWS_STORAGE_BUCKET_NAME="forum-media",
        AWS_S3_ENDPOINT_URL="http://127.0.0.1:9000",
        AWS_ACCESS_KEY_ID="key",
        AWS_SECRET_ACCESS_KEY="secret",
    )
    assert result.returncode == 0, result.stderr
    assert "S3Storage forum-media http://127.0.0.1:9000 False" in result.stdout


def test_media_storage_s3_without_a_bucket_is_refused():
    result = _default_storage_in_a_process(MEDIA_STORAGE="s3")
    assert result.returncode != 0 and "AWS_STORAGE_BUCKET_NAME" in result.stderr
