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
