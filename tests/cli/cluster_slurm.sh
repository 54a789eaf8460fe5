#!/usr/bin/env bash
# A real single-node Slurm cluster (ci/slurm-local.sh: munged, slurmctld, slurmd from Debian's
# slurm-wlm and munge, started here and stopped at the end) runs docs/cluster/imaxbench-array.sbatch
# as `sbatch --array=1-4`: each task takes its shard from Slurm's environment (--shard auto), the
# merged results equal the unsharded run's bit for bit, and merge records the run on the leaderboard
# with its name, tag, backend and device. Then one task of a slowed array is cancelled with scancel
# part-way, the array is submitted again, the cancelled shard continues with --resume and the merge
# is again equal to the unsharded run. Last, ci/nightly.sh --slurm evaluates two checkpoints as
# Slurm jobs side by side.
# Usage: cluster_slurm.sh IMAXBENCH_BINARY SOURCE_DIR
set -euo pipefail
bin="$(cd "$(dirname "$1")" && pwd)/$(basename "$1")"
src="$(cd "$2" && pwd)"
tmp="$(mktemp -d)"
cleanup() { "$src/ci/slurm-local.sh" stop "$tmp/slurm" || true; rm -rf "$tmp"; }
trap cleanup EXIT
fail() {
  echo "FAIL: $*" >&2
  tail -n 15 "$tmp"/slurm/*.log "$tmp"/logs/*.txt >&2 2>/dev/null || true
  exit 1
}
[ "$(id -u)" -eq 0 ] || fail "needs root: slurmd runs jobs as their users (CI runs as root)"
"$src/ci/slurm-local.sh" start "$tmp/slurm" || fail "the local Slurm cluster did not start"
export SLURM_CONF="$tmp/slurm/slurm.conf"
mkdir -p "$tmp/logs"

sample="$src/suites/sample"
opts=(--suite "$sample/suite.json" --backend replay --model "$sample/predictions.jsonl" --batch-size 1
      --bootstrap 300 --progress off --quiet)
"$bin" run "${opts[@]}" --no-record --out "$tmp/whole"

submit() {  # submit OUT [sbatch and run args...]: an array of 4, waited for
  local out="$1"
  shift
  IMAXBENCH="$bin" OUT="$out" sbatch --parsable --array=1-4 --output="$tmp/logs/%A_%a.txt" --chdir="$tmp" "$@"
}
same_as_whole() { python3 "$src/tests/cli/same_results.py" "$tmp/whole/results.json" "$1/results.json"; }

# 1. sbatch --array=1-4, merge, record.
submit "$tmp/a" --wait "$src/docs/cluster/imaxbench-array.sbatch" "${opts[@]}" > /dev/null || fail "the array failed"
for k in 1 2 3 4; do
  grep -q "\"shard\": \"$k/4\"" "$tmp/a/shard-$k/manifest.json" || fail "shard-$k did not run shard $k/4"
  grep -q "\"shard_source\": \"SLURM_ARRAY_TASK_ID=$k (4 array tasks from 1)\"" "$tmp/a/shard-$k/manifest.json" ||
    fail "shard-$k: no Slurm shard_source in its manifest"
done
"$bin" merge "$tmp"/a/shard-* --out "$tmp/a/merged" --quiet --db "$tmp/lb.sqlite" --name ckpt-slurm --tag nightly \
  || fail "merge failed"
same_as_whole "$tmp/a/merged" || fail "array run"
"$bin" leaderboard --db "$tmp/lb.sqlite" --format json --out "$tmp/lb.json"
python3 - "$tmp/lb.json" <<'PY' || fail "the merged run is not on the leaderboard as expected: $(cat "$tmp/lb.json")"
import json, sys
rows = json.load(open(sys.argv[1]))["rows"]
assert len(rows) == 1, rows  # the shards themselves are not recorded (--no-record in the batch script)
r = rows[0]
assert (r["model"], r["backend"], r["device"], r["tags"]) == ("ckpt-slurm", "replay", "none", ["nightly"]), r
PY

# 2. A slowed array; task 2 cancelled part-way, the array resubmitted: shard 2 resumes.
job="$(submit "$tmp/b" "$src/docs/cluster/imaxbench-array.sbatch" "${opts[@]}" --delay-ms 40)" || fail "sbatch"
journal="$tmp/b/shard-2/samples.jsonl"
for _ in $(seq 300); do
  [ -f "$journal" ] && [ "$(wc -l < "$journal")" -ge 5 ] && break
  sleep 0.1
done
[ -f "$journal" ] && [ "$(wc -l < "$journal")" -ge 5 ] || fail "shard 2 never started answering"
scancel "${job}_2"
for _ in $(seq 600); do
  [ -z "$(squeue -h -j "$job" 2>/dev/null)" ] && break
  sleep 0.1
done
[ -z "$(squeue -h -j "$job")" ] || fail "the array did not finish"
[ ! -f "$tmp/b/shard-2/results.json" ] || fail "shard 2 finished before scancel; nothing was tested"
answered="$(wc -l < "$journal")"
submit "$tmp/b" --wait "$src/docs/cluster/imaxbench-array.sbatch" "${opts[@]}" > /dev/null || fail "the resubmitted array failed"
[ "$(wc -l < "$journal")" -gt "$answered" ] || fail "shard 2 did not go on after the resubmission"
"$bin" merge "$tmp"/b/shard-* --out "$tmp/b/merged" --quiet --no-record || fail "merge after resume failed"
same_as_whole "$tmp/b/merged" || fail "cancelled and resumed array"
# 3. ci/nightly.sh --slurm: each checkpoint evaluated as a Slurm job, two at once, recorded, compared.
printf 'ckpt-a %s\nckpt-b %s --batch-size 2\n' "$sample/predictions.jsonl" "$sample/predictions.jsonl" > "$tmp/ckpts.txt"
"$src/ci/nightly.sh" --imaxbench "$bin" --suite "$sample/suite.json" --checkpoints "$tmp/ckpts.txt" --backend replay \
  --db "$tmp/nightly.sqlite" --out "$tmp/nightly" --slurm --jobs 2 --accept-if-none --bootstrap 100 \
  --sbatch-args "--chdir=$tmp" > "$tmp/nightly.txt" 2>&1 || fail "nightly --slurm: $(cat "$tmp/nightly.txt")"
grep -q "ckpt-a: evaluating (.*, as a Slurm job)" "$tmp/nightly.txt" || fail "$(cat "$tmp/nightly.txt")"
grep -q 'tests="2" failures="0" errors="0"' "$tmp/nightly/junit.xml" || fail "$(cat "$tmp/nightly/junit.xml")"
grep -q '^Submitted\|^[0-9]' "$tmp/nightly/logs/ckpt-b.log.sbatch" || fail "no sbatch record: $(cat "$tmp/nightly/logs/ckpt-b.log.sbatch")"
echo "cluster_slurm: ok (shard 2 cancelled after $answered answers, resumed)"
