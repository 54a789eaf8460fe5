# Shared by the tests/cli/*.sh scripts (sourced, not a test itself).

# True when `imaxbench list backends` lists backend $2 as built into binary $1.
backend_built() {
  "$1" list backends 2>/dev/null | grep -E "^ +$2 " | grep -vq "not built"
}

# Prints the first python that imports torch ($IMAXBENCH_PYTHON, python3, /usr/bin/python3: the
# pyenv python3 of a dev machine may lack it); prints nothing when none does.
python_with_torch() {
  local cand
  for cand in "${IMAXBENCH_PYTHON:-}" python3 /usr/bin/python3; do
    if [[ -n "$cand" ]] && "$cand" -c 'import torch' >/dev/null 2>&1; then echo "$cand"; return; fi
  done
}

# Starts tests/tools/fake_openai_server.py on the sample suite and its bundled answers in the
# background (extra arguments go to the server) and waits for it to print its port. Sets
# server_pid and port; needs $src, $tmp and a fail() function in the calling script.
start_fake_openai_server() {
  python3 "$src/tests/tools/fake_openai_server.py" --suite "$src/suites/sample/suite.json" \
    --answers "$src/suites/sample/predictions.jsonl" --parent-pid $$ --max-seconds 300 "$@" \
    > "$tmp/port" 2> "$tmp/server.err" &
  server_pid=$!
  for _ in $(seq 1 300); do
    [ -s "$tmp/port" ] && break
    sleep 0.1
  done
  port=$(head -1 "$tmp/port")
  [ -n "$port" ] || fail "the fake server did not start: $(cat "$tmp/server.err")"
}
