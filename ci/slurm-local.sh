#!/usr/bin/env bash
# A single-node Slurm cluster in one folder, for tests and for trying `--shard auto` under a real
# scheduler without touching the machine's own Slurm or MUNGE setup: its own MUNGE key and socket,
# slurm.conf, state, logs and ports. Needs Debian's slurm-wlm and munge (ci/install-deps.sh) and
# root (slurmd runs jobs as their users).
#   ci/slurm-local.sh start DIR   starts munged, slurmctld and slurmd; waits until the node is idle
#   ci/slurm-local.sh stop DIR    stops them (also after a failed start)
# Then point the Slurm commands at it: export SLURM_CONF=DIR/slurm.conf
set -euo pipefail
cmd="${1:-}"
dir="${2:-}"
[ -n "$cmd" ] && [ -n "$dir" ] || { echo "usage: ci/slurm-local.sh start|stop DIR" >&2; exit 2; }

stop() {
  [ -f "$dir/slurm.conf" ] && SLURM_CONF="$dir/slurm.conf" scontrol shutdown >/dev/null 2>&1 || true
  for pidfile in "$dir/slurmd.pid" "$dir/slurmctld.pid" "$dir/munged.pid"; do
    [ -f "$pidfile" ] || continue
    pid="$(cat "$pidfile" 2>/dev/null || true)"
    [ -n "$pid" ] || continue
    kill "$pid" 2>/dev/null || true
    for _ in $(seq 50); do kill -0 "$pid" 2>/dev/null || break; sleep 0.1; done
    kill -9 "$pid" 2>/dev/null || true
  done
}

case "$cmd" in
  stop) stop; exit 0 ;;
  start) ;;
  *) echo "usage: ci/slurm-local.sh start|stop DIR" >&2; exit 2 ;;
esac

for tool in munged slurmctld slurmd sbatch scontrol sinfo; do
  command -v "$tool" >/dev/null || { echo "slurm-local: $tool not found; run ci/install-deps.sh (Debian slurm-wlm, munge)" >&2; exit 1; }
done
[ "$(id -u)" -eq 0 ] || { echo "slurm-local: slurmd runs jobs as their users, so it must start as root" >&2; exit 1; }
mkdir -p "$dir/state" "$dir/spool"
dir="$(cd "$dir" && pwd)"
chmod 755 "$dir"  # munged refuses a socket folder others may write to
# MUNGE: a fresh key, a socket in the folder.
head -c 1024 /dev/urandom > "$dir/munge.key"
chmod 400 "$dir/munge.key"
munged -f --key-file="$dir/munge.key" --socket="$dir/munge.socket" --pid-file="$dir/munged.pid" \
  --log-file="$dir/munged.log" --seed-file="$dir/munged.seed"

# Two free ports next to each other (controller, node daemon).
ports="$(python3 - <<'PY'
import socket
for base in range(20000 + __import__("os").getpid() % 20000, 60000, 2):
    try:
        socks = [socket.socket() for _ in range(2)]
        for i, s in enumerate(socks):
            s.bind(("127.0.0.1", base + i))
        print(base, base + 1)
        break
    except OSError:
        continue
    finally:
        for s in socks:
            s.close()
PY
)"
read -r ctld_port node_port <<< "$ports"
host="$(hostname -s)"
cat > "$dir/slurm.conf" <<CONF
ClusterName=imaxbench-local
SlurmctldHost=$host(127.0.0.1)
AuthType=auth/munge
AuthInfo=socket=$dir/munge.socket
CredType=cred/munge
SlurmUser=root
SlurmdUser=root
SlurmctldPort=$ctld_port
SlurmdPort=$node_port
StateSaveLocation=$dir/state
SlurmdSpoolDir=$dir/spool
SlurmctldPidFile=$dir/slurmctld.pid
SlurmdPidFile=$dir/slurmd.pid
SlurmctldLogFile=$dir/slurmctld.log
SlurmdLogFile=$dir/slurmd.log
ProctrackType=proctrack/linuxproc
TaskPlugin=task/none
MpiDefault=none
SchedulerType=sched/builtin
SelectType=select/cons_tres
SelectTypeParameters=CR_CPU
ReturnToService=2
JobCompType=jobcomp/none
AccountingStorageType=accounting_storage/none
JobAcctGatherType=jobacct_gather/none
SlurmdParameters=config_overrides
NodeName=$host NodeAddr=127.0.0.1 CPUs=$(nproc) State=UNKNOWN
PartitionName=local Nodes=ALL Default=YES MaxTime=INFINITE State=UP
CONF
export SLURM_CONF="$dir/slurm.conf"
slurmctld -f "$SLURM_CONF" -i
slurmd -f "$SLURM_CONF" -N "$host"
for _ in $(seq 100); do
  state="$(sinfo -h -o %T 2>/dev/null || true)"
  if [ "$state" = "idle" ]; then
    echo "slurm-local: node $host idle (SLURM_CONF=$SLURM_CONF)"
    exit 0
  fi
  sleep 0.2
done
echo "slurm-local: the node did not come up (state '${state:-none}'); logs in $dir:" >&2
tail -n 20 "$dir/slurmctld.log" "$dir/slurmd.log" "$dir/munged.log" >&2 || true
stop
exit 1
