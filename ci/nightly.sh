#!/usr/bin/env bash
# Nightly evaluation: run a suite for a list of checkpoints, record each run in the leaderboard,
# compare each with the newest run tagged `accepted` (paired bootstrap, regression gate), re-score
# a frozen set of answers to catch metric-code drift, and write a markdown summary and a JUnit XML
# file for CI systems. docs/nightly.md describes the files and the exit status.
#
#   ci/nightly.sh --suite suites/sample/suite.json --checkpoints ckpts.txt [options] [-- run args]
#
# Checkpoints file: one per line, `NAME MODEL [RUN OPTIONS...]`; blank lines and `#` comments are
# skipped. MODEL is given to `imaxbench run --backend BACKEND --model MODEL`, or is
# `predictions:FILE` to score a file of answers that already exists (no backend). The options after
# it go to that checkpoint's `imaxbench run`; `--backend NAME` among them picks its backend
# (an openai checkpoint beside torchscript ones: `ckpt-vllm served-name --backend openai
# --endpoint http://gpu7:8000/v1`).
#
# Options (defaults in brackets):
#   --imaxbench BIN        the binary [$IMAXBENCH, else build/imaxbench]
#   --backend NAME         backend for `imaxbench run` when a line names none [baseline]
#   --jobs N               evaluate up to N checkpoints at once [1]
#   --slurm                submit each evaluation as a Slurm job (sbatch --wait; up to --jobs at once)
#   --sbatch-args "ARGS"   extra sbatch options for --slurm, e.g. "--gres=gpu:1 --time=04:00:00"
#   --db PATH              leaderboard database [$IMAXBENCH_DB, else imaxbench's default:
#                          $XDG_DATA_HOME/imaxbench/leaderboard.sqlite or ~/.local/share/imaxbench/...]
#   --out DIR              output folder [out/nightly/<UTC date-time>]
#   --baseline-tag TAG     compare against the newest run with this tag [accepted]
#   --tag TAG              tag for tonight's runs [nightly]
#   --fail-if-worse DELTA  gate: significantly worse by more than DELTA points (x100) [1.0]
#   --gate-tasks LIST      also gate these tasks' primary metrics (comma-separated)
#   --bootstrap N          paired bootstrap resamples [1000]
#   --accept-if-none       with no accepted run yet, tag the first checkpoint's run as accepted
#   --frozen DIR           re-score DIR/answers.jsonl and compare with DIR/expected.json
#
# Exit status: 0 all well, 1 a run or comparison failed, 2 usage, 3 a gated regression,
# 4 metric-code drift on the frozen answers (and no regression).
set -uo pipefail

usage() { sed -n '2,/^set -uo/p' "$0" | sed -e '/^set -uo/d' -e 's/^# \{0,1\}//' >&2; exit 2; }

# imaxbench's own default store (results/store_location.h): the XDG data folder, an absolute
# XDG_DATA_HOME else ~/.local/share.
xdg_data="${XDG_DATA_HOME:-}"; [[ "$xdg_data" == /* ]] || xdg_data="$HOME/.local/share"
bin="${IMAXBENCH:-build/imaxbench}" backend=baseline db="${IMAXBENCH_DB:-$xdg_data/imaxbench/leaderboard.sqlite}"
out="" suite="" checkpoints="" baseline_tag=accepted tag=nightly delta=1.0 gate_tasks="" resamples=1000
accept_if_none=0 frozen="" run_args=() jobs=1 slurm=0 sbatch_args=""
while [ $# -gt 0 ]; do
  case "$1" in
    --suite) suite="$2"; shift 2 ;;
    --checkpoints) checkpoints="$2"; shift 2 ;;
    --imaxbench) bin="$2"; shift 2 ;;
    --backend) backend="$2"; shift 2 ;;
    --db) db="$2"; shift 2 ;;
    --out) out="$2"; shift 2 ;;
    --baseline-tag) baseline_tag="$2"; shift 2 ;;
    --tag) tag="$2"; shift 2 ;;
    --fail-if-worse) delta="$2"; shift 2 ;;
    --gate-tasks) gate_tasks="$2"; shift 2 ;;
    --bootstrap) resamples="$2"; shift 2 ;;
    --accept-if-none) accept_if_none=1; shift ;;
    --jobs) jobs="$2"; shift 2 ;;
    --slurm) slurm=1; shift ;;
    --sbatch-args) sbatch_args="$2"; shift 2 ;;
    --frozen) frozen="$2"; shift 2 ;;
    --) shift; run_args=("$@"); break ;;
    -h|--help) usage ;;
    *) echo "nightly: unknown option '$1' (see --help)" >&2; exit 2 ;;
  esac
done
[ -n "$suite" ] && [ -n "$checkpoints" ] || { echo "nightly: --suite and --checkpoints are required (see --help)" >&2; exit 2; }
[ -f "$suite" ] || { echo "nightly: suite file '$suite' not found" >&2; exit 2; }
[ -f "$checkpoints" ] || { echo "nightly: checkpoints file '$checkpoints' not found" >&2; exit 2; }
[ -x "$bin" ] || { echo "nightly: imaxbench binary '$bin' not found (build it, or pass --imaxbench)" >&2; exit 2; }
[[ "$jobs" =~ ^[1-9][0-9]*$ ]] || { echo "nightly: --jobs must be a whole number >= 1" >&2; exit 2; }
[ $slurm -eq 0 ] || command -v sbatch >/dev/null || { echo "nightly: --slurm needs sbatch on PATH" >&2; exit 2; }
[ -z "$frozen" ] || [ -f "$frozen/answers.jsonl" -a -f "$frozen/expected.json" ] ||
  { echo "nightly: --frozen $frozen needs answers.jsonl and expected.json (see docs/nightly.md)" >&2; exit 2; }
out="${out:-out/nightly/$(date -u +%Y%m%dT%H%M%SZ)}"
mkdir -p "$out/runs" "$out/compare" "$out/logs"
gate=(--fail-if-worse "$delta")
[ -z "$gate_tasks" ] || gate+=(--gate-tasks "$gate_tasks")

xml() { sed -e 's/&/\&amp;/g' -e 's/</\&lt;/g' -e 's/>/\&gt;/g' -e 's/"/\&quot;/g'; }
# The markdown table row of the multi-task average: "A B B-A CI p" columns from `compare --format md`.
average_cells() { awk -F'|' '/\*\*average\*\*/ { gsub(/ /, "", $4); gsub(/ /, "", $5); gsub(/ /, "", $6); print $4, $5, $6; exit }' "$1"; }

has_baseline() { "$bin" leaderboard --db "$db" --suite "$suite" --tag "$baseline_tag" --format json >/dev/null 2>&1; }

# The checkpoints, in file order: name, model, backend, run options.
c_names=() c_models=() c_backends=() c_extras=()
while read -r name model extra || [ -n "${name:-}" ]; do
  case "$name" in ''|\#*) continue ;; esac
  if [ -z "${model:-}" ]; then echo "nightly: $checkpoints: line for '$name' has no MODEL" >&2; exit 2; fi
  [[ "$name" =~ ^[A-Za-z0-9._-]+$ ]] || { echo "nightly: $checkpoints: name '$name' may hold only letters, digits and . _ -" >&2; exit 2; }
  b="$backend" rest=()
  read -r -a words <<<"${extra:-}"
  for ((i = 0; i < ${#words[@]}; i++)); do
    if [ "${words[$i]}" = --backend ] && [ $((i + 1)) -lt ${#words[@]} ]; then b="${words[$((i + 1))]}"; i=$((i + 1))
    else rest+=("${words[$i]}"); fi
  done
  c_names+=("$name") c_models+=("$model") c_backends+=("$b") c_extras+=("${rest[*]:-}")
done <"$checkpoints"
[ ${#c_names[@]} -gt 0 ] || { echo "nightly: $checkpoints lists no checkpoint" >&2; exit 2; }

# Evaluates checkpoint $1 (recorded with its name and tag); its exit status goes to logs/NAME.rc.
evaluate() {
  local i=$1 name="${c_names[$1]}" model="${c_models[$1]}"
  local run_dir="$out/runs/$name" log="$out/logs/$name.log" cmd
  rm -rf "$run_dir"
  if [[ "$model" == predictions:* ]]; then
    mkdir -p "$run_dir"
    cmd=("$bin" score --suite "$suite" --predictions "${model#predictions:}" --out "$run_dir/results.json"
         --db "$db" --model-name "$name" --tag "$tag")
  else
    # shellcheck disable=SC2206  # the line's words after MODEL are run options
    cmd=("$bin" run --suite "$suite" --backend "${c_backends[$i]}" --model "$model" --out "$run_dir" --db "$db"
         --name "$name" --tag "$tag" --progress off ${c_extras[$i]} "${run_args[@]}")
  fi
  local rc=0
  if [ $slurm -eq 1 ]; then
    # shellcheck disable=SC2086  # --sbatch-args is a list of options
    sbatch --wait --parsable --job-name "imaxbench-$name" --output "$log" $sbatch_args --wrap "$(printf '%q ' "${cmd[@]}")" \
      >"$log.sbatch" 2>&1 || rc=$?
    [ $rc -eq 0 ] || cat "$log.sbatch" >>"$log"
  else
    "${cmd[@]}" >"$log" 2>&1 || rc=$?
  fi
  echo "$rc $(date +%s)" >"$out/logs/$name.rc"
}

declare -A started_at
for i in "${!c_names[@]}"; do
  while [ "$(jobs -rp | wc -l)" -ge "$jobs" ]; do wait -n || true; done
  started_at[${c_names[$i]}]=$(date +%s)
  echo "== ${c_names[$i]}: evaluating (${c_models[$i]}$([ $slurm -eq 1 ] && echo ', as a Slurm job'))"
  evaluate "$i" &
done
wait

names=() statuses=() details=() times=() rows=()
status_all=0
for i in "${!c_names[@]}"; do
  name="${c_names[$i]}" run_dir="$out/runs/${c_names[$i]}" log="$out/logs/${c_names[$i]}.log"
  # Time per checkpoint: its evaluation, then its comparison.
  read -r rc ended < <(cat "$out/logs/$name.rc" 2>/dev/null || echo "1 $(date +%s)")
  started=$(( ${started_at[$name]} + $(date +%s) - ended ))
  run_id=$(sed -n 's/^recorded as run \([0-9]*\).*/\1/p' "$log" | tail -1)
  if [ $rc -ne 0 ] || [ -z "$run_id" ]; then
    echo "   run failed (exit $rc); see $log"
    names+=("$name"); statuses+=(error); times+=($(( $(date +%s) - started )))
    details+=("evaluation failed (exit $rc): $(tail -3 "$log")"); rows+=("| $name | - | - | - | - | error |")
    status_all=1
    continue
  fi
  if ! has_baseline; then
    if [ $accept_if_none -eq 1 ]; then
      "$bin" leaderboard --db "$db" --add-tag "$run_id=$baseline_tag" >>"$log" 2>&1
      echo "   no run was tagged $baseline_tag: run $run_id is now the baseline"
    else
      echo "   no run is tagged $baseline_tag on this suite; nothing to compare with (see --accept-if-none)"
      names+=("$name"); statuses+=(error); times+=($(( $(date +%s) - started )))
      details+=("no run tagged '$baseline_tag' to compare with; tag one: imaxbench leaderboard --add-tag ID=$baseline_tag")
      rows+=("| $name | $run_id | - | - | - | no baseline |")
      status_all=1
      continue
    fi
  fi
  md="$out/compare/$name.md"
  "$bin" compare "tag:$baseline_tag" "$run_dir" --db "$db" --bootstrap "$resamples" "${gate[@]}" \
    --format md --out "$out/compare/$name.json" >"$md" 2>>"$log"
  rc=$?
  names+=("$name"); times+=($(( $(date +%s) - started )))
  read -r avg_a avg_b avg_d < <(average_cells "$md")
  case $rc in
    0) statuses+=(ok); details+=(""); verdict=ok ;;
    3) statuses+=(regression); details+=("$(sed -n '/Gate failed/,$p' "$md")"); verdict="**REGRESSION**"
       [ $status_all -eq 1 ] || status_all=3 ;;
    *) statuses+=(error); details+=("compare failed (exit $rc): $(tail -3 "$log")"); verdict=error; status_all=1 ;;
  esac
  echo "   run $run_id: average ${avg_b:-?} vs ${avg_a:-?} ($verdict)"
  rows+=("| $name | $run_id | ${avg_a:--} | ${avg_b:--} | ${avg_d:--} | $verdict |")
done

# Metric-code drift: the same answers, re-scored with tonight's build, must give the same numbers.
drift_status=skipped drift_detail=""
if [ -n "$frozen" ]; then
  echo "== frozen answers: re-scoring $frozen"
  "$bin" score --suite "$suite" --predictions "$frozen/answers.jsonl" --out "$out/drift/results.json" \
    --no-record --bootstrap 0 --quiet >"$out/logs/drift.log" 2>&1 &&
    "$bin" compare --no-rescore "$frozen/expected.json" "$out/drift/results.json" --fail-if-changed 1e-9 \
      --format md >"$out/compare/metric-drift.md" 2>>"$out/logs/drift.log"
  rc=$?
  case $rc in
    0) drift_status=ok ;;
    3) drift_status=drift; drift_detail="$(sed -n '/Gate failed/,$p' "$out/compare/metric-drift.md")"
       [ $status_all -ne 0 ] || status_all=4 ;;
    *) drift_status=error; drift_detail="re-scoring failed (exit $rc): $(tail -3 "$out/logs/drift.log")"; status_all=1 ;;
  esac
  echo "   metric drift: $drift_status"
fi

{
  echo "# imaxbench nightly: $(basename "$suite") ($(date -u +%Y-%m-%dT%H:%M:%SZ))"
  echo
  echo "Each checkpoint against the newest run tagged \`$baseline_tag\`; average = primary metrics x100;"
  echo "gate: significantly worse (p < 0.05) by more than $delta points${gate_tasks:+ on the average or $gate_tasks}."
  echo
  echo "## Model drift"
  echo
  echo "| checkpoint | run | $baseline_tag | tonight | delta | verdict |"
  echo "|---|---:|---:|---:|---:|---|"
  printf '%s\n' "${rows[@]}"
  echo
  echo "## Metric-code drift (frozen answers re-scored)"
  echo
  case $drift_status in
    skipped) echo "Not checked (no --frozen set)." ;;
    ok) echo "No change: tonight's metric code scores the frozen answers exactly as recorded." ;;
    *) echo "**$drift_status**"; echo; echo "$drift_detail" ;;
  esac
  for i in "${!names[@]}"; do
    [ -f "$out/compare/${names[$i]}.md" ] || continue
    echo
    echo "<details><summary>${names[$i]}: per-task comparison</summary>"
    echo
    cat "$out/compare/${names[$i]}.md"
    echo
    echo "</details>"
  done
} >"$out/summary.md"

{
  failures=0 errors=0
  for s in "${statuses[@]}"; do
    [ "$s" = regression ] && failures=$((failures + 1))
    [ "$s" = error ] && errors=$((errors + 1))
  done
  echo '<?xml version="1.0" encoding="UTF-8"?>'
  echo '<testsuites name="imaxbench nightly">'
  echo "  <testsuite name=\"imaxbench.model_drift\" tests=\"${#names[@]}\" failures=\"$failures\" errors=\"$errors\">"
  for i in "${!names[@]}"; do
    n=$(printf '%s' "${names[$i]}" | xml)
    echo "    <testcase classname=\"imaxbench.model_drift\" name=\"$n vs $baseline_tag\" time=\"${times[$i]}\">"
    case "${statuses[$i]}" in
      regression) echo "      <failure message=\"significant regression\">$(printf '%s' "${details[$i]}" | xml)</failure>" ;;
      error) echo "      <error message=\"evaluation failed\">$(printf '%s' "${details[$i]}" | xml)</error>" ;;
    esac
    echo "    </testcase>"
  done
  echo "  </testsuite>"
  d_fail=0 d_err=0 d_skip=0
  case $drift_status in drift) d_fail=1 ;; error) d_err=1 ;; skipped) d_skip=1 ;; esac
  echo "  <testsuite name=\"imaxbench.metric_drift\" tests=\"1\" failures=\"$d_fail\" errors=\"$d_err\" skipped=\"$d_skip\">"
  echo "    <testcase classname=\"imaxbench.metric_drift\" name=\"frozen answers re-score identically\">"
  case $drift_status in
    drift) echo "      <failure message=\"metric-code drift\">$(printf '%s' "$drift_detail" | xml)</failure>" ;;
    error) echo "      <error message=\"re-scoring failed\">$(printf '%s' "$drift_detail" | xml)</error>" ;;
    skipped) echo "      <skipped message=\"no --frozen set given\"/>" ;;
  esac
  echo "    </testcase>"
  echo "  </testsuite>"
  echo "</testsuites>"
} >"$out/junit.xml"

echo "summary: $out/summary.md, JUnit: $out/junit.xml"
exit $status_all
