#!/usr/bin/env python3
"""Checks what can be checked in deploy/ without a Docker engine: every YAML and JSON file parses
(PyYAML, json), and prints one JSON object: "commands", every `trialtransit ...` command line found
there (YAML command arrays, compose health checks, the Dockerfile's CMD/HEALTHCHECK) as
{"file", "argv"}; "metrics", every `trialtransit_*` metric name the Grafana dashboards' queries use
(histogram suffixes removed) as {"file", "metric"}; "workers", every Kubernetes workload running a
`trialtransit worker` as {"file", "kind", "name", "instance_id_from"} (where its
TRIALTRANSIT_INSTANCE_ID comes from); "config_files", every configuration file a ConfigMap carries
(a data key ending in .yaml) as {"file", "key", "text"}, and "config_users", every worker container
with the TRIALTRANSIT_CONFIG it is given. Exit 1 when a file does not parse. Used by
Tests/OperationsTests/DeployTests.swift, which checks them against the built binary and the sources."""
import json
import os
import re
import shlex
import sys

import yaml

root = sys.argv[1] if len(sys.argv) > 1 else os.path.join(os.path.dirname(__file__), "..")
deploy = os.path.join(root, "deploy")
found = []


def command_lines(node):
    """Every argv starting with trialtransit in a parsed YAML document."""
    if isinstance(node, dict):
        for value in node.values():
            yield from command_lines(value)
    elif isinstance(node, list):
        if node and all(isinstance(item, str) for item in node):
            items = node[1:] if node[0] in ("CMD", "CMD-SHELL") else node
            if len(items) == 1 and items[0].startswith("trialtransit "):
                items = shlex.split(items[0])
            if items and items[0] == "trialtransit":
                yield items
                return
        for item in node:
            yield from command_lines(item)
    elif isinstance(node, str) and node.startswith("trialtransit "):
        yield shlex.split(node)


def metric_names(node):
    """Every trialtransit_* metric named in the query strings ("expr") of a Grafana dashboard."""
    if isinstance(node, dict):
        for key, value in node.items():
            if key == "expr" and isinstance(value, str):
                for name in re.findall(r"\btrialtransit_[a-z_]+", value):
                    yield re.sub(r"_(bucket|sum|count)$", "", name)
            else:
                yield from metric_names(value)
    elif isinstance(node, list):
        for item in node:
            yield from metric_names(item)


def worker_workloads(document):
    """Kubernetes workloads whose container runs `trialtransit worker`, with their instance id source."""
    if not isinstance(document, dict) or document.get("kind") not in ("Deployment", "StatefulSet"):
        return
    for container in document["spec"]["template"]["spec"].get("containers", []):
        if container.get("command", [])[:2] != ["trialtransit", "worker"]:
            continue
        source = None
        for variable in container.get("env", []):
            if variable.get("name") == "TRIALTRANSIT_INSTANCE_ID":
                source = variable.get("valueFrom", {}).get("fieldRef", {}).get("fieldPath") or variable.get("value")
        yield {"kind": document["kind"], "name": document["metadata"]["name"], "instance_id_from": source}


def config_files(document):
    """Configuration files (data keys ending in .yaml) of a ConfigMap."""
    if not isinstance(document, dict) or document.get("kind") != "ConfigMap":
        return
    for key, text in (document.get("data") or {}).items():
        if key.endswith((".yaml", ".yml")):
            yield {"key": key, "text": text}


def config_users(document):
    """Worker containers of a Kubernetes workload, with the TRIALTRANSIT_CONFIG they are given."""
    if not isinstance(document, dict) or document.get("kind") not in ("Deployment", "StatefulSet"):
        return
    for container in document["spec"]["template"]["spec"].get("containers", []):
        if container.get("command", [])[:2] != ["trialtransit", "worker"]:
            continue
        config = next((v.get("value") for v in container.get("env", []) if v.get("name") == "TRIALTRANSIT_CONFIG"), None)
        yield {"name": document["metadata"]["name"], "config": config}


failed = False
metrics = []
workers = []
configs = []
users = []
for folder, _, files in sorted(os.walk(deploy)):
    for name in sorted(files):
        path = os.path.join(folder, name)
        relative = os.path.relpath(path, root)
        if name.endswith((".yaml", ".yml")):
            try:
                with open(path) as handle:
                    documents = list(yaml.safe_load_all(handle))
            except yaml.YAMLError as error:
                print(f"{relative}: does not parse as YAML: {error}", file=sys.stderr)
                failed = True
                continue
            for document in documents:
                found += [{"file": relative, "argv": argv} for argv in command_lines(document)]
                workers += [dict(workload, file=relative) for workload in worker_workloads(document)]
                configs += [dict(config, file=relative) for config in config_files(document)]
                users += [dict(user, file=relative) for user in config_users(document)]
        elif name.endswith(".json"):
            try:
                with open(path) as handle:
                    document = json.load(handle)
            except json.JSONDecodeError as error:
                print(f"{relative}: does not parse as JSON: {error}", file=sys.stderr)
                failed = True
                continue
            metrics += [{"file": relative, "metric": metric} for metric in sorted(set(metric_names(document)))]
        elif name == "Dockerfile" or name.endswith(".Dockerfile"):
            with open(path) as handle:
                for line in handle:
                    marker = line.find("CMD [")
                    if marker >= 0:
                        argv = json.loads(line[marker + 4:])
                        if argv and argv[0] == "trialtransit":
                            found.append({"file": relative, "argv": argv})

print(json.dumps({"commands": found, "metrics": metrics, "workers": workers, "config_files": configs,
                  "config_users": users}))
sys.exit(1 if failed else 0)
