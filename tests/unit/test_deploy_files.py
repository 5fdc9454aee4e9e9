"""deploy/: the compose file is valid Compose (the Compose specification's JSON schema, from
docker-compose 1.29.2, Apache-2.0, in tests/data/compose_spec.json) and lays out the fleet
docs/operations.md describes; the Dockerfile builds a wheel and runs it as a non-root user.
Docker itself is not available where these tests run: the entry point script is exercised on
the host by tests/e2e/test_deploy_entrypoint.py."""

from __future__ import annotations

import json
import re
from pathlib import Path
from typing import Any

import jsonschema
import yaml

ROOT = Path(__file__).resolve().parents[2]
DEPLOY = ROOT / "deploy"


def compose() -> dict[str, Any]:
    loaded = yaml.safe_load((DEPLOY / "compose.yaml").read_text())  # `<<` merges resolved
    assert isinstance(loaded, dict)
    return loaded


def test_compose_file_follows_the_compose_specification() -> None:
    schema = json.loads((ROOT / "tests" / "data" / "compose_spec.json").read_text())
    validator = jsonschema.Draft201909Validator(schema)
    errors = sorted(validator.iter_errors(compose()), key=lambda e: list(e.path))
    assert not errors, [f"{list(e.path)}: {e.message}" for e in errors]


def test_compose_lays_out_the_fleet() -> None:
    services = compose()["services"]
    assert {
        "postgres",
        "redis",
        "migrate",
        "api-1",
        "api-2",
        "worker-1",
        "worker-2",
        "caddy",
    } <= set(services)
    assert services["migrate"]["command"] == ["migrate"]
    assert services["migrate"]["restart"] == "no"
    caddy_ip = services["caddy"]["networks"]["slotwise"]["ipv4_address"]
    for name in ("api-1", "api-2"):
        api = services[name]
        assert api["command"] == ["serve"]
        assert api["depends_on"]["migrate"] == {"condition": "service_completed_successfully"}
        assert api["environment"]["SLOTWISE_FORWARDED_ALLOW_IPS"] == caddy_ip
        assert "ports" not in api  # only the proxy is published
    for name in ("worker-1", "worker-2"):
        assert services[name]["command"] == ["worker"]
    env = services["api-1"]["environment"]
    assert env["SLOTWISE_DATABASE_URL"].startswith("postgresql://")
    assert env["SLOTWISE_REDIS_URL"] == "redis://redis:6379/0"
    assert "SLOTWISE_SECRET_KEY:?" in env["SLOTWISE_SECRET_KEY"]  # required, never defaulted
    caddyfile = (DEPLOY / "Caddyfile").read_text()
    assert re.search(r"reverse_proxy api-1:8000 api-2:8000", caddyfile)
    assert "health_uri /health/ready" in caddyfile


def test_dockerfile_installs_the_wheel_and_drops_root() -> None:
    text = (DEPLOY / "Dockerfile").read_text()
    stages = re.findall(r"^FROM (\S+)", text, flags=re.MULTILINE)
    assert len(stages) == 2  # a build stage and a small runtime stage
    assert "pip wheel" in text and "COPY --from=build /wheels /wheels" in text
    assert re.search(r"pip install --no-cache-dir /wheels/\*\.whl", text)
    users = re.findall(r"^USER (\S+)", text, flags=re.MULTILINE)
    assert users and users[-1] != "root"
    assert "deploy/entrypoint.sh" in text
