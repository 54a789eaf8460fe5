#!/usr/bin/env bash
# `mpirun -np 4` (Debian's Open MPI) starts four imaxbench processes with --shard auto: each takes
# its shard from OMPI_COMM_WORLD_RANK/SIZE (the manifest says so), the merged results equal the
# unsharded run's bit for bit, and the merged run is recorded with the shards' backend and device.
# Then the Kubernetes Indexed Job of docs/cluster/imaxbench-indexed-job.yaml is checked: its
# manifest by docs/cluster/check_indexed_job.py, and its environment contract (JOB_COMPLETION_INDEX
# 0..N-1 with IMAXBENCH_SHARD_COUNT=N, the command its container runs) simulated, merged equal.
# Usage: cluster_mpi.sh IMAXBENCH_BINARY SOURCE_DIR
set -euo pipefail
bin="$(cd "$(dirname "$1")" && pwd)/$(basename "$1")"
src="$(cd "$2" && pwd)"
tmp="$(mktemp -d)"
trap 'rm -rf "$tmp"' EXIT
fail() { echo "FAIL: $*" >&2; exit 1; }
command -v mpirun > /dev/null || fail "mpirun not found; run ci/install-deps.sh (Debian openmpi-bin)"

sample="$src/suites/sample"
opts=(--suite "$sample/suite.json" --backend replay --model "$sample/predictions.jsonl" --bootstrap 300
      --progress off --quiet)
"$bin" run "${opts[@]}" --no-record --out "$tmp/whole"
same_as_whole() { python3 "$src/tests/cli/same_results.py" "$tmp/whole/results.json" "$1/results.json"; }

# Open MPI refuses root without --allow-run-as-root; --oversubscribe: 4 ranks on fewer cores.
mpirun --allow-run-as-root --oversubscribe -np 4 \
  bash -c 'exec "$0" run --shard auto --no-record --out "$1/mpi/rank-$OMPI_COMM_WORLD_RANK" "${@:2}"' \
  "$bin" "$tmp" "${opts[@]}" || fail "mpirun failed"
for r in 0 1 2 3; do
  grep -q "\"shard_source\": \"OMPI_COMM_WORLD_RANK=$r of OMPI_COMM_WORLD_SIZE=4\"" "$tmp/mpi/rank-$r/manifest.json" ||
    fail "rank $r: no Open MPI shard_source in its manifest"
done
"$bin" merge "$tmp"/mpi/rank-* --out "$tmp/mpi/merged" --quiet --db "$tmp/lb.sqlite" --name ckpt-mpi || fail "merge failed"
same_as_whole "$tmp/mpi/merged" || fail "mpirun shards"
"$bin" leaderboard --db "$tmp/lb.sqlite" --format json --out "$tmp/lb.json" > /dev/null
python3 - "$tmp/lb.json" <<'PY' || fail "the merged run is not on the leaderboard as expected: $(cat "$tmp/lb.json")"
import json, sys
(r,) = json.load(open(sys.argv[1]))["rows"]
assert (r["model"], r["backend"], r["device"]) == ("ckpt-mpi", "replay", "none"), r
PY

# The Kubernetes Indexed Job: its manifest checked, its pods' script run under the environment
# Kubernetes gives them (index 1 twice: a retried pod continues its shard).
py=""
for cand in "${IMAXBENCH_PYTHON:-}" python3 /usr/bin/python3; do
  if [[ -n "$cand" ]] && "$cand" -c 'import yaml, jsonschema' > /dev/null 2>&1; then py="$cand"; break; fi
done
[[ -n "$py" ]] || fail "no python3 with yaml and jsonschema; run ci/install-deps.sh (python3-yaml, python3-jsonschema)"
job="$src/docs/cluster/imaxbench-indexed-job.yaml"
"$py" "$src/docs/cluster/check_indexed_job.py" "$job" --script-out "$tmp/pod.sh" > "$tmp/k8s.txt" ||
  fail "$(cat "$tmp/k8s.txt")"
n="$(sed -n 's/^completions: //p' "$tmp/k8s.txt")"
[ "${n:-0}" -ge 2 ] || fail "no completions count from the check: $(cat "$tmp/k8s.txt")"
sed 's/value: "4"/value: "3"/' "$job" > "$tmp/bad-job.yaml"
if "$py" "$src/docs/cluster/check_indexed_job.py" "$tmp/bad-job.yaml" > "$tmp/bad.txt"; then
  fail "a manifest whose IMAXBENCH_SHARD_COUNT differs from completions passed the check"
fi
grep -q "IMAXBENCH_SHARD_COUNT is '3', spec.completions 4" "$tmp/bad.txt" || fail "unclear: $(cat "$tmp/bad.txt")"
mkdir -p "$tmp/path"
ln -s "$bin" "$tmp/path/imaxbench"
for i in $(seq 0 $((n - 1))) 1; do
  JOB_COMPLETION_INDEX="$i" IMAXBENCH_SHARD_COUNT="$n" RUNS="$tmp/k8s" IMAXBENCH_ARGS="${opts[*]}" \
    PATH="$tmp/path:$PATH" sh "$tmp/pod.sh" || fail "the pod script failed for index $i"
  grep -q "\"shard\": \"$((i + 1))/$n\"" "$tmp/k8s/shard-$i/manifest.json" || fail "index $i is not shard $((i + 1))/$n"
done
"$bin" merge "$tmp"/k8s/shard-* --out "$tmp/k8s/merged" --quiet --no-record || fail "merge of the indexed job failed"
same_as_whole "$tmp/k8s/merged" || fail "indexed job shards"
echo "cluster_mpi: ok"
