"""prefect.yaml: deployments point at real flows and keep the schedules of settings.py."""

import importlib

import yaml

from flows import settings


def load_deployments() -> dict[str, dict]:
    config = yaml.safe_load((settings.PROJECT_DIR / "prefect.yaml").read_text())
    return {d["name"]: d for d in config["deployments"]}


def test_entrypoints_are_prefect_flows():
    from prefect import Flow

    for deployment in load_deployments().values():
        path, name = deployment["entrypoint"].split(":")
        module = importlib.import_module(path.removesuffix(".py").replace("/", "."))
        assert isinstance(getattr(module, name), Flow), deployment["name"]


def test_schedules_match_settings_and_served_deployments():
    from flows.serve import deployments

    deployed = load_deployments()
    expected = {"nightly-refresh": settings.REFRESH_CRON, "monthly-brief": settings.BRIEF_CRON}
    for name, cron in expected.items():
        (schedule,) = deployed[name]["schedules"]
        assert (schedule["cron"], schedule["timezone"]) == (cron, settings.SCHEDULE_TIMEZONE)
        assert deployed[name]["work_pool"]["name"] == "terrain-local"
    served = {d.name: d for d in deployments()}
    assert set(served) == set(expected)
    for name, cron in expected.items():
        (schedule,) = served[name].schedules
        assert schedule.schedule.cron == cron
        assert schedule.schedule.timezone == settings.SCHEDULE_TIMEZONE


def test_the_deployments_that_write_wait_for_each_other():
    from prefect.client.schemas.objects import ConcurrencyLimitConfig

    deployed = load_deployments()
    writers = {"nightly-refresh", "pipeline"}
    for name, deployment in deployed.items():
        # Prefect's own model of a deployment's limit: one run, later ones enqueued
        limit = ConcurrencyLimitConfig(**deployment["concurrency_limit"])
        assert (limit.limit, limit.collision_strategy.value) == (1, "ENQUEUE"), name
        queue = deployment["work_pool"]["work_queue_name"]
        assert (queue == "warehouse-writers") == (name in writers), name
    text = (settings.PROJECT_DIR / "prefect.yaml").read_text()
    assert "prefect work-queue create warehouse-writers --pool terrain-local --limit 1" in text
    from flows.serve import deployments

    for served in deployments():
        assert served.concurrency_limit == 1
        assert served.concurrency_options.collision_strategy.value == "ENQUEUE"
