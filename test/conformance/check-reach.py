"""Fails when an operation of the document was never routed by the emulator during the run.

A missing endpoint answers 404 "No endpoint", which the response checks cannot tell from a missing
object; so every operation must show up in the emulator's per-route request counts
(`GET /_emulator/stats`, which counts only requests that matched a route).

Usage: python check-reach.py <openapi.yaml> <emulator base URL>
"""

import json
import re
import sys
import urllib.request

import yaml


def normalise(method, path):
    return f"{method.upper()} {re.sub(r'{[^}]+}', '{}', path)}"


def main(spec_path, base_url):
    with open(spec_path, encoding="utf-8") as f:
        spec = yaml.safe_load(f)
    wanted = {
        normalise(method, path): op.get("operationId", "")
        for path, item in spec["paths"].items()
        for method, op in item.items()
        if method in ("get", "post", "put", "delete")
    }
    with urllib.request.urlopen(f"{base_url}/_emulator/stats") as response:
        stats = json.load(response)
    reached = {normalise(*key.split(" ", 1)) for key in stats["byRoute"]}
    missing = sorted(op for op in wanted if op not in reached)
    print(f"conformance: {len(wanted) - len(missing)} of {len(wanted)} operations routed by the emulator")
    for op in missing:
        print(f"  not routed (404 No endpoint): {op}  [{wanted[op]}]")
    return 1 if missing else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1], sys.argv[2]))
