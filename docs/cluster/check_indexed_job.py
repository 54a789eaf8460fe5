#!/usr/bin/env python3
"""Checks a Kubernetes Indexed Job manifest for imaxbench (docs/cluster/imaxbench-indexed-job.yaml).

    check_indexed_job.py JOB.yaml [--script-out FILE]

No cluster is needed (kubectl's dry run asks a server for the API schema). The manifest is checked
against the parts of the batch/v1 Job schema it uses (types, enums, required keys: a JSON Schema
below, validated with python3-jsonschema) and against the environment contract `--shard auto`
relies on: completionMode Indexed, an IMAXBENCH_SHARD_COUNT variable equal to spec.completions in
every imaxbench container, and a command that passes --shard auto and writes each index's shard
to its own folder (JOB_COMPLETION_INDEX in --out). Prints "completions: N" and, with --script-out,
writes the first container's shell script (args[0] of a /bin/sh -c command) so a test can run it.
Exit status 0 when the manifest passes, 1 with one line per problem.
"""
import argparse
import sys

import jsonschema
import yaml

STRING = {"type": "string", "minLength": 1}
ENV_VAR = {"type": "object", "required": ["name"], "additionalProperties": False,
           "properties": {"name": STRING, "value": {"type": "string"}, "valueFrom": {"type": "object"}}}
CONTAINER = {
    "type": "object", "required": ["name", "image"],
    "properties": {
        "name": STRING, "image": STRING,
        "command": {"type": "array", "items": {"type": "string"}},
        "args": {"type": "array", "items": {"type": "string"}},
        "env": {"type": "array", "items": ENV_VAR},
        "resources": {"type": "object", "properties": {"limits": {"type": "object"}, "requests": {"type": "object"}}},
        "volumeMounts": {"type": "array", "items": {"type": "object", "required": ["name", "mountPath"]}},
    },
}
JOB = {
    "type": "object", "required": ["apiVersion", "kind", "metadata", "spec"],
    "properties": {
        "apiVersion": {"const": "batch/v1"},
        "kind": {"const": "Job"},
        "metadata": {"type": "object", "required": ["name"],
                     "properties": {"name": {"type": "string", "pattern": "^[a-z0-9]([-a-z0-9]*[a-z0-9])?$",
                                             "maxLength": 63}}},
        "spec": {
            "type": "object", "required": ["completionMode", "completions", "template"],
            "properties": {
                "completionMode": {"const": "Indexed"},
                "completions": {"type": "integer", "minimum": 1},
                "parallelism": {"type": "integer", "minimum": 1},
                "backoffLimit": {"type": "integer", "minimum": 0},
                "backoffLimitPerIndex": {"type": "integer", "minimum": 0},
                "template": {
                    "type": "object", "required": ["spec"],
                    "properties": {"spec": {
                        "type": "object", "required": ["containers", "restartPolicy"],
                        "properties": {
                            "restartPolicy": {"enum": ["Never", "OnFailure"]},
                            "containers": {"type": "array", "minItems": 1, "items": CONTAINER},
                            "volumes": {"type": "array", "items": {"type": "object", "required": ["name"]}},
                        }}}},
            }},
    },
}


def problems(job):
    out = ["at %s: %s" % ("/".join(str(p) for p in e.absolute_path) or "top", e.message)
           for e in jsonschema.Draft202012Validator(JOB).iter_errors(job)]
    if out:
        return out
    n = job["spec"]["completions"]
    containers = job["spec"]["template"]["spec"]["containers"]
    runs_imaxbench = False
    for c in containers:
        text = " ".join(c.get("command", []) + c.get("args", []))
        env = {e["name"]: e.get("value") for e in c.get("env", [])}
        text += " " + " ".join(str(v) for v in env.values() if v)
        if "imaxbench" not in text:
            continue
        runs_imaxbench = True
        if env.get("IMAXBENCH_SHARD_COUNT") != str(n):
            out.append("container %s: IMAXBENCH_SHARD_COUNT is %r, spec.completions %d: they must be equal"
                       % (c["name"], env.get("IMAXBENCH_SHARD_COUNT"), n))
        if "--shard auto" not in text:
            out.append("container %s: the command does not pass --shard auto" % c["name"])
        if "JOB_COMPLETION_INDEX" not in text or "--out" not in text:
            out.append("container %s: --out must name a folder per index (JOB_COMPLETION_INDEX)" % c["name"])
    if not runs_imaxbench:
        out.append("no container runs imaxbench")
    parallelism = job["spec"].get("parallelism", 1)
    if parallelism > n:
        out.append("spec.parallelism %d is more than spec.completions %d" % (parallelism, n))
    return out


def main():
    p = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    p.add_argument("manifest")
    p.add_argument("--script-out", help="write the first container's /bin/sh -c script here")
    a = p.parse_args()
    try:
        with open(a.manifest) as f:
            job = yaml.safe_load(f)
    except (OSError, yaml.YAMLError) as e:
        print("%s: %s" % (a.manifest, e))
        return 1
    found = problems(job)
    for line in found:
        print("%s: %s" % (a.manifest, line))
    if found:
        return 1
    print("completions: %d" % job["spec"]["completions"])
    if a.script_out:
        c = job["spec"]["template"]["spec"]["containers"][0]
        if c.get("command", [])[-1:] != ["-c"] or not c.get("args"):
            print("%s: the first container is not a /bin/sh -c script" % a.manifest)
            return 1
        with open(a.script_out, "w") as f:
            f.write(c["args"][0])
    return 0


if __name__ == "__main__":
    sys.exit(main())
