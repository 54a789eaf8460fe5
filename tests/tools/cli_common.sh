# Shared by the tests/cli/*.sh scripts (sourced, not a test itself).

# True when `imaxbench list backends` lists backend $2 as built into binary $1.
backend_built() {
  "$1" list backends 2>/dev/null | grep -E "^ +$2 " | grep -vq "not built"
}
