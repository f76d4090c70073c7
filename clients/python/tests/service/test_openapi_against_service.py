"""Schemathesis against the real service: every answer matches its OpenAPI description, and none is a 5xx."""
from __future__ import annotations

import shutil
import subprocess

import pytest

pytest.importorskip("schemathesis")

# Left out: what ends protected mode for the rest of the session (keys), deletes other tests' jobs (cleanup), holds a
# connection for up to 50 s or an hour (the worker poll, the SSE streams), or needs an identity provider (OIDC).
EXCLUDED = ["createApiKey", "revokeApiKey", "cleanupJobs", "pollForJob", "streamJob", "streamJobs",
            "startOidcSignIn", "finishOidcSignIn"]
CHECKS = "not_a_server_error,status_code_conformance,content_type_conformance,response_schema_conformance"


def test_every_answer_matches_the_openapi_description(service_url):
    command = shutil.which("schemathesis") or shutil.which("st")
    assert command, "schemathesis is installed but its command is not on PATH"
    arguments = [command, "run", f"{service_url}/v3/api-docs", "--url", service_url, "--checks", CHECKS,
                 "--max-examples", "15", "--phases", "examples,coverage,fuzzing", "--request-timeout", "10",
                 "--generation-with-security-parameters", "false", "--no-color"]
    for operation in EXCLUDED:
        arguments += ["--exclude-operation-id", operation]
    run = subprocess.run(arguments, capture_output=True, text=True, timeout=240)
    assert run.returncode == 0, f"Schemathesis found answers that break the description:\n{run.stdout[-20000:]}\n{run.stderr[-2000:]}"
