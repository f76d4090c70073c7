"""One real service per test session: ``JOBLINE_URL`` when set, else the built jar started on a free port."""
from __future__ import annotations

import os
from typing import Iterator

import httpx
import pytest

import jobline
from tests.support.otlp_receiver import OtlpReceiver
from tests.support.service import Service, find_jar

pytestmark = pytest.mark.service


@pytest.fixture(scope="session")
def otlp_receiver() -> Iterator[OtlpReceiver | None]:
    """Where the service these tests start sends its spans; None for a service of JOBLINE_URL."""
    if os.environ.get("JOBLINE_URL"):
        yield None
        return
    receiver = OtlpReceiver()
    try:
        yield receiver
    finally:
        receiver.close()


@pytest.fixture(scope="session")
def service_url(tmp_path_factory, otlp_receiver) -> Iterator[str]:
    url = os.environ.get("JOBLINE_URL")
    if url:
        yield url.rstrip("/")
        return
    jar = find_jar()
    if jar is None and os.environ.get("JOBLINE_REQUIRE_SERVICE"):
        pytest.fail("No service jar in job-api/target: the build runs these tests after packaging it")
    if jar is None:
        pytest.skip("No service jar (job-api/target/job-api-*-exec.jar) and no JOBLINE_URL: build it with "
                    "./mvnw -q -o package -DskipTests, or point JOBLINE_URL at a running service")
    service = Service(jar, tmp_path_factory.mktemp("jobline-service"), env={
        "OTEL_EXPORTER_OTLP_ENDPOINT": otlp_receiver.endpoint, "OTEL_EXPORTER_OTLP_PROTOCOL": "http/protobuf",
        "OTEL_BSP_SCHEDULE_DELAY": "100",
        # The webhook tests' receiver listens on loopback, which the service refuses unless allowed by name.
        "JOBLINE_WEBHOOKS_ALLOWED_HOSTS": "127.0.0.1"}).start()
    try:
        yield service.url
    finally:
        service.stop()


@pytest.fixture
def client(service_url) -> Iterator[jobline.Client]:
    with jobline.Client(service_url) as client:
        yield client


@pytest.fixture(scope="session")
def worker_protocol(service_url) -> None:
    """Skips the test when the service does not serve the worker protocol yet (PUT /api/job-types/x)."""
    answer = httpx.put(service_url + "/api/job-types/x", json={"stages": ["probe"]}, timeout=10)
    if answer.status_code in (404, 405) and os.environ.get("JOBLINE_REQUIRE_SERVICE"):
        pytest.fail(f"The service does not serve the worker protocol (PUT /api/job-types/x answered {answer.status_code})")
    if answer.status_code in (404, 405):
        pytest.skip(f"The service has no worker protocol yet (PUT /api/job-types/x answered {answer.status_code})")
    httpx.delete(service_url + "/api/job-types/x", timeout=10)
