"""Drives the cmf plugin from Python as a user's program does, through the generated SDK
(pulumi_cmf), with an Automation API inline program (no Python language host needed).

    python program.py up|destroy

The environment carries the sandbox (PULUMI_HOME, PULUMI_BACKEND_URL, PULUMI_CONFIG_PASSPHRASE), the
emulator (CMF_TEST_URL, CMF_TEST_TOKEN), the parallelism to deploy (CMF_TEST_PARALLELISM) and PATH
with pulumi and pulumi-resource-cmf. Prints one JSON line: the change summary and the outputs.
"""
import json
import os
import sys

import pulumi
import pulumi_cmf as cmf
from pulumi import automation as auto


def program() -> None:
    env = cmf.Environment("py-env", name="py-prod", kubernetes_namespace="flink-py")
    app = cmf.Application(
        "orders",
        environment=env.name,
        labels={"team": "data"},
        spec={
            "image": "confluentinc/cp-flink:1.19.3-cp2",
            "flinkVersion": "v1_19",
            "serviceAccount": "flink",
            "jobManager": {"resource": {"cpu": 1, "memory": "1024m"}},
            "taskManager": {"resource": {"cpu": 1, "memory": "1024m"}},
            "job": {
                "jarURI": "local:///opt/flink/examples/streaming/StateMachineExample.jar",
                "parallelism": int(os.environ["CMF_TEST_PARALLELISM"]),
                "state": "running",
                "upgradeMode": "stateless",
            },
        },
        opts=pulumi.ResourceOptions(custom_timeouts=pulumi.CustomTimeouts(create="2m", update="2m")),
    )
    pulumi.export("jobState", app.status.apply(lambda status: status.get("jobState")))
    pulumi.export("parallelism", app.spec.apply(lambda spec: spec["job"]["parallelism"]))
    # The lookup, as an invoke through the same provider.
    found = cmf.get_environment_output(name=env.name)
    pulumi.export("lookedUpNamespace", found.kubernetes_namespace)


def main(action: str) -> None:
    stack = auto.create_or_select_stack(
        stack_name="dev",
        project_name="cmf-py",
        program=program,
        opts=auto.LocalWorkspaceOptions(
            project_settings=auto.ProjectSettings(
                name="cmf-py",
                runtime="python",
                backend=auto.ProjectBackend(url=os.environ["PULUMI_BACKEND_URL"]),
            ),
        ),
    )
    stack.set_config("cmf:url", auto.ConfigValue(value=os.environ["CMF_TEST_URL"]))
    stack.set_config("cmf:token", auto.ConfigValue(value=os.environ["CMF_TEST_TOKEN"], secret=True))
    if action == "up":
        result = stack.up()
        outputs = {key: value.value for key, value in result.outputs.items()}
        print(json.dumps({"changes": result.summary.resource_changes, "outputs": outputs}))
    elif action == "destroy":
        result = stack.destroy()
        print(json.dumps({"changes": result.summary.resource_changes}))
    else:
        raise SystemExit(f"unknown action {action!r} (up, destroy)")


if __name__ == "__main__":
    main(sys.argv[1])
