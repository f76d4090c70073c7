"""The SDK against a service whose files live in S3 (moto's server on loopback): downloads follow the redirect to a
presigned URL, a worker reads its input by presigned GET and stores its artifact by presigned PUT."""
from __future__ import annotations

import os
import threading
import uuid
from typing import Iterator

import httpx
import pytest

import jobline
from tests.support.service import Service, find_jar, free_port

pytestmark = pytest.mark.service

BUCKET = "jobline-pysdk"


@pytest.fixture(scope="module")
def s3() -> Iterator[str]:
    try:
        from moto.server import ThreadedMotoServer
    except ImportError as error:
        pytest.skip(f"No S3 server for this test: moto's server is not installed ({error});"
                    " pip install 'moto[server]' (the SDK's test extra)")
    port = free_port()
    server = ThreadedMotoServer(ip_address="127.0.0.1", port=port, verbose=False)
    server.start()
    endpoint = f"http://127.0.0.1:{port}"
    try:
        assert httpx.put(f"{endpoint}/{BUCKET}", timeout=10).status_code == 200
        yield endpoint
    finally:
        server.stop()


@pytest.fixture(scope="module")
def s3_service_url(s3, tmp_path_factory) -> Iterator[str]:
    jar = find_jar()
    if jar is None:
        pytest.skip("No service jar (job-api/target/job-api-*-exec.jar): build it with ./mvnw -q -o package -DskipTests")
    service = Service(jar, tmp_path_factory.mktemp("jobline-s3-service"), env={
        "JOBLINE_FILES_STORE": "s3", "JOBLINE_S3_BUCKET": BUCKET, "JOBLINE_S3_PREFIX": "pysdk",
        "JOBLINE_S3_ENDPOINT": s3, "JOBLINE_S3_REGION": "us-east-1", "JOBLINE_S3_PATH_STYLE": "true",
        "JOBLINE_S3_ACCESS_KEY_ID": "testing", "JOBLINE_S3_SECRET_ACCESS_KEY": "testing"}).start()
    try:
        yield service.url
    finally:
        service.stop()


def _keys(s3: str, prefix: str) -> list[str]:
    import boto3
    client = boto3.client("s3", endpoint_url=s3, region_name="us-east-1", aws_access_key_id="testing",
                          aws_secret_access_key="testing")
    return [o["Key"] for o in client.list_objects_v2(Bucket=BUCKET, Prefix=prefix).get("Contents", [])]


def test_a_worker_and_a_client_move_files_by_presigned_urls(s3, s3_service_url):
    name = f"pysdk-s3-{uuid.uuid4().hex[:8]}"
    worker = jobline.Worker(s3_service_url, poll_wait_ms=2000)
    seen: dict[str, object] = {}

    @worker.job_type(name, stages=["shout"], options={"max_attempts": 1})
    def shout(ctx):
        file = ctx.files["words.txt"]
        seen["download_url"] = file.download_url
        text = file.read().decode()
        ctx.upload_artifact("shout.txt", text.upper().encode(), "text/plain")
        return {"length": len(text)}

    thread = threading.Thread(target=worker.run, kwargs={"concurrency": 1}, daemon=True)
    thread.start()
    try:
        assert worker.ready.wait(30)
        with jobline.Client(s3_service_url) as client:
            job_id = client.submit(name, {}, files={"words.txt": b"hello object store"})["job_id"]
            job = client.wait(job_id, timeout=30)
            assert job["status"] == "completed", job

            assert str(seen["download_url"]).startswith(s3 + "/" + BUCKET + "/pysdk/jobs/" + job_id + "/inputs/")
            assert client.artifact(job_id, "shout.txt") == b"HELLO OBJECT STORE"
            assert client.artifact(job_id, "words.txt") == b"hello object store"
            assert client.result(job_id)["result"] == {"length": 18}
            keys = _keys(s3, f"pysdk/jobs/{job_id}/")
            assert any(k.endswith("/artifacts/attempt-1/shout.txt") for k in keys), keys
    finally:
        worker.stop("test over")
        thread.join(10)
