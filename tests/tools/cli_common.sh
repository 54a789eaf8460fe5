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

# The start every torchscript CLI test shares: skips (exit 0, saying why) when this build has no
# torchscript backend or no python3 imports torch (the package exporters need it); otherwise sets
# $py to that python. Needs $bin.
torchscript_test_setup() {
  if ! backend_built "$bin" torchscript; then
    echo "SKIPPED: this build has no LibTorch, so no torchscript backend"
    exit 0
  fi
  py="$(python_with_torch)"
  if [[ -z "$py" ]]; then
    echo "SKIPPED: no python3 with torch to write a model package (apt-get install python3-torch)"
    exit 0
  fi
}

# The transformers virtualenv of the Hugging Face equivalence tests: $build/hf-venv over the
# python with torch ($py), pip-installed once and cached; a skip (exit 0) where pip cannot install.
# Sets $venv. Needs $build and $py (torchscript_test_setup). Several tests use it and ctest runs
# them side by side: whoever comes first installs it under an exclusive lock ($build/hf-venv.lock),
# the others wait for it instead of removing a half-installed venv.
hf_venv_setup() {
  venv="$build/hf-venv"
  local pins=(transformers==4.45.2 "jinja2>=3.1.4" pillow==13.0.0 safetensors==0.8.0)
  local lock_fd
  exec {lock_fd}>"$build/hf-venv.lock"
  flock "$lock_fd"
  if ! "$venv/bin/python" -c 'import transformers, PIL, safetensors' 2>/dev/null; then
    rm -rf "$venv"
    if ! "$py" -m venv --system-site-packages "$venv" >/dev/null 2>&1 ||
       ! timeout 900 "$venv/bin/pip" install -q --disable-pip-version-check "${pins[@]}" >/dev/null 2>&1; then
      echo "SKIPPED: could not pip-install ${pins[*]} into $venv"
      rm -rf "$venv"
      exit 0
    fi
  fi
  exec {lock_fd}>&-
}

# The start every openai CLI test shares: a temp folder ($tmp) removed at exit together with the
# fake server, fail(), a skip (exit 0) when the build has no libcurl, no proxy for loopback, the
# key in FAKE_KEY and a running fake server at $base. Needs $bin and $src; $1 names the test.
openai_test_setup() {
  tmp="$(mktemp -d)"
  server_pid=""
  trap '[ -n "$server_pid" ] && kill "$server_pid" 2>/dev/null; rm -rf "$tmp"' EXIT
  fail() { echo "FAIL: $*" >&2; exit 1; }
  if ! backend_built "$bin" openai; then
    echo "$1: skipped, this build has no libcurl"
    exit 0
  fi
  unset http_proxy https_proxy HTTP_PROXY HTTPS_PROXY ALL_PROXY all_proxy
  export FAKE_KEY="sk-test-SECRET123"
  start_fake_openai_server --api-key-env FAKE_KEY
  base="http://127.0.0.1:$port"
}

# The start the tests/cli scripts share: $bin and $src from the script's two arguments, a fresh
# $tmp removed on exit, and fail MESSAGE (prints "FAIL: MESSAGE" on stderr and exits 1).
cli_test_start() {
  bin="$1"
  src="$2"
  tmp="$(mktemp -d)"
  trap 'rm -rf "$tmp"' EXIT
}
fail() { echo "FAIL: $*" >&2; exit 1; }
