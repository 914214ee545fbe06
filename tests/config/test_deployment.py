"""The production topology as declared: one image, five long-running services, each with a health check."""

from pathlib import Path

import yaml

ROOT = Path(__file__).resolve().parents[2]


def compose() -> dict:
    return yaml.safe_load((ROOT / "docker-compose.yml").read_text())


def test_compose_runs_postgres_redis_web_worker_and_beat_with_health_checks():
    services = compose()["services"]
    assert {"postgres", "redis", "web", "worker", "beat"} <= set(services)
    for name in ["postgres", "redis", "web", "worker", "beat"]:
        assert "healthcheck" in services[name], f"{name} has no health check"


def test_web_worker_and_beat_share_one_image_and_wait_for_migrations():
    services = compose()["services"]
    images = {services[name]["image"] for name in ["web", "worker", "beat", "migrate"]}
    assert len(images) == 1
    for name in ["web", "worker", "beat"]:
        assert services[name]["depends_on"]["migrate"]["condition"] == "service_completed_successfully"
    assert services["beat"]["command"][:4] == ["celery", "-A", "config", "beat"]


def test_the_image_installs_the_locked_dependencies_and_weasyprint_libraries():
    dockerfile = (ROOT / "Dockerfile").read_text()
    assert "--require-hashes" in dockerfile and "-r requirements-runtime.lock" in dockerfile
    assert "libpango-1.0-0" in dockerfile and "USER app" in dockerfile


def _pins(name: str) -> dict[str, str]:
    pins = {}
    for line in (ROOT / name).read_text().splitlines():
        if "==" in line and not line.startswith((" ", "#")):
            package, _, version = line.split(" ")[0].partition("==")
            pins[package.lower()] = version
    return pins


def test_the_runtime_lock_is_the_full_lock_without_the_test_tools():
    runtime, full = _pins("requirements-runtime.lock"), _pins("requirements.lock")
    assert {package: full.get(package) for package in runtime} == runtime  # the same versions
    assert {"django", "celery", "weasyprint", "pygal", "time-machine"} <= set(runtime)
    assert not {"pytest", "playwright", "ruff", "factory-boy", "pypdf"} & set(runtime)


def test_every_required_setting_is_in_the_env_example():
    example = (ROOT / ".env.example").read_text()
    for name in ["SECRET_KEY", "ALLOWED_HOSTS", "POSTGRES_PASSWORD", "EMAIL_HOST", "CSRF_TRUSTED_ORIGINS"]:
        assert f"{name}=" in example
