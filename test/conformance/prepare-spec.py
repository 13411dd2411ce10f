"""Derives the document Schemathesis runs on from the vendored CMF 2.3.1 OpenAPI document.

Two kinds of change, each listed with its reason in scripts/conformance-exclusions.md:
- OpenAPI links (the vendored document has none), so that the stateful phase can chain
  create -> get/update/delete/children with the names the emulator generated;
- the document's own quirks that no correct server can satisfy (EX-2, EX-3, EX-10 in the exclusions file).
Nothing else is touched: every operation, parameter and response schema stays as Confluent wrote it.

Usage: python prepare-spec.py <vendored.yaml> <output.yaml>
"""

import re
import sys

import yaml

METHODS = ("get", "post", "put", "delete")


def success_status(operation):
    return next(code for code in sorted(operation["responses"]) if str(code).startswith("2"))


def path_params(path):
    return re.findall(r"{([^}]+)}", path)


def add_link(operation, status, name, target_id, parameters):
    response = operation["responses"][status]
    response.setdefault("links", {})[name] = {"operationId": target_id, "parameters": parameters}


def add_links(spec):
    paths = spec["paths"]
    ops = {op["operationId"]: (path, method, op) for path, item in paths.items() for method, op in item.items() if method in METHODS}
    # Create (POST on a collection) -> every operation below the new object; its name comes from the
    # answer (`name` for the flat Environment, `metadata.name` for every other kind), its parents'
    # names from the request path.
    for source_id, (path, method, op) in ops.items():
        if method != "post" or re.search(r"/(start|suspend|detach)$", path):
            continue
        status = success_status(op)
        name_pointer = "$response.body#/name" if path.endswith("/environments") else "$response.body#/metadata/name"
        prefix = path + "/{"
        for target_id, (target_path, _target_method, _target_op) in ops.items():
            if not target_path.startswith(prefix):
                continue
            new_param = target_path[len(prefix):].split("}")[0]
            parameters = {p: f"$request.path.{p}" for p in path_params(path)}
            parameters[new_param] = name_pointer
            if set(parameters) != set(path_params(target_path)):
                continue
            add_link(op, status, f"{source_id}-{target_id}", target_id, parameters)
    # A completed savepoint restores an application (start?startFromSavepointUid=).
    _, _, create_sp = ops["createSavepointForFlinkApplication"]
    add_link(create_sp, success_status(create_sp), "restore", "startApplication", {
        "envName": "$request.path.envName",
        "appName": "$request.path.appName",
        "startFromSavepointUid": "$response.body#/metadata/uid",
    })
    # An application answer names its deployed instance.
    _, _, upsert_app = ops["createOrUpdateApplication"]
    add_link(upsert_app, success_status(upsert_app), "current-instance", "getApplicationInstance", {
        "envName": "$request.path.envName",
        "appName": "$response.body#/metadata/name",
        "instName": "$response.body#/status/currentDeployedInstanceName",
    })
    # Detach -> the detached savepoint it became.
    _, _, detach = ops["detachSavepointFromFlinkApplication"]
    for target in ("getDetachedSavepoint", "deleteDetachedSavepoint"):
        add_link(detach, success_status(detach), f"detached-{target}", target,
                 {"detachedSavepointName": "$response.body#/metadata/name"})
    # Clusters are never created over REST: chain from the list to the first cluster.
    _, _, clusters = ops["getKubernetesClusters"]
    for target in ("getKubernetesCluster", "updateKubernetesCluster"):
        add_link(clusters, success_status(clusters), f"first-{target}", target,
                 {"kubernetesClusterName": "$response.body#/items/0/metadata/name"})


def fix_quirks(spec):
    schemas = spec["components"]["schemas"]
    # EX-2: EventData is `oneOf` two objects that have no required property, so any event data
    # matches both and fails `oneOf`; `anyOf` is what the document means.
    schemas["EventData"] = {"anyOf": schemas["EventData"]["oneOf"]}
    # EX-10: `SecretSpec` and `EnvironmentSecretMappingSpec` are `writeOnly`, so no response may carry
    # `spec`; Confluent's documentation shows `spec.secretName` in mapping answers and the Confluent
    # CLI's mock returns secret data masked, which is what the emulator does.
    for name in ("SecretSpec", "EnvironmentSecretMappingSpec"):
        schemas[name].pop("writeOnly", None)
    # EX-3: a sparse fieldset (`fields`) returns objects without their required members by design;
    # the parameter is dropped here (listing tests cover it).
    for item in spec["paths"].values():
        for method, op in item.items():
            if method in METHODS and "parameters" in op:
                op["parameters"] = [p for p in op["parameters"] if p.get("name") != "fields"]


def main(source, target):
    with open(source, encoding="utf-8") as f:
        spec = yaml.safe_load(f)
    add_links(spec)
    fix_quirks(spec)
    with open(target, "w", encoding="utf-8") as f:
        yaml.safe_dump(spec, f, sort_keys=False)


if __name__ == "__main__":
    main(sys.argv[1], sys.argv[2])
