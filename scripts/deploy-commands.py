#!/usr/bin/env python3
"""Checks what can be checked in deploy/ without a Docker engine: every YAML file parses (PyYAML),
and prints every `trialtransit ...` command line found there (YAML command arrays, compose health
checks, the Dockerfile's CMD/HEALTHCHECK) as one JSON array of {"file", "argv"}. Exit 1 when a
YAML file does not parse. Used by Tests/OperationsTests/DeployTests.swift, which checks each
command line against the built binary."""
import json
import os
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


failed = False
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
        elif name == "Dockerfile" or name.endswith(".Dockerfile"):
            with open(path) as handle:
                for line in handle:
                    marker = line.find("CMD [")
                    if marker >= 0:
                        argv = json.loads(line[marker + 4:])
                        if argv and argv[0] == "trialtransit":
                            found.append({"file": relative, "argv": argv})

print(json.dumps(found))
sys.exit(1 if failed else 0)
