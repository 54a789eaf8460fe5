// What a cluster launcher tells each process about its place: `--shard auto` and `--device
// cuda:auto` (hip:auto) read it, so one command line serves every task of a Slurm array, an srun
// step, an mpirun, a torchrun or a Kubernetes Indexed Job (docs/cluster.md).
//
// A process's shard is OUTER x INNER, either part optional:
//   outer  Slurm job arrays: SLURM_ARRAY_TASK_ID among SLURM_ARRAY_TASK_MIN/_MAX/_STEP
//          (SLURM_ARRAY_TASK_COUNT tasks); or a Kubernetes Indexed Job's JOB_COMPLETION_INDEX
//          (0-based) with IMAXBENCH_SHARD_COUNT, which the Job's manifest sets to its completions
//          (Kubernetes does not pass the count);
//   inner  the launcher's ranks: Open MPI's OMPI_COMM_WORLD_RANK/_SIZE, PMIx's PMIX_RANK (size from
//          OMPI_COMM_WORLD_SIZE or PMI_SIZE), MPICH's PMI_RANK/PMI_SIZE, torchrun's RANK/WORLD_SIZE,
//          else Slurm's SLURM_PROCID/SLURM_NTASKS when an srun step has several tasks.
// Shard = outer_index * inner_size + inner_rank + 1 of outer_count * inner_size. Launcher ranks
// come before SLURM_PROCID because mpirun inside an sbatch job leaves every rank the batch step's
// SLURM_PROCID 0. The device index comes from the local rank: LOCAL_RANK (torchrun),
// OMPI_COMM_WORLD_LOCAL_RANK, MPI_LOCALRANKID, SLURM_LOCALID, else 0.
#pragma once

#include <functional>
#include <iosfwd>
#include <optional>
#include <string>

#include "harness/shard.h"

namespace imaxbench {

// Looks a variable up; nullopt when unset. The real one reads the process's environment.
using EnvLookup = std::function<std::optional<std::string>(const std::string& name)>;
EnvLookup process_environment();

struct LaunchShard {
  ShardSpec shard;
  std::string source;  // what it came from, e.g. "SLURM_ARRAY_TASK_ID=3 (tasks 1-4)"
};

// The shard for `--shard auto`. Throws UsageError naming the variables it looked for when none is
// set, and naming the variable when one is malformed or inconsistent (a rank not below its size).
LaunchShard shard_from_environment(const EnvLookup& env);

// `--shard` as given: "auto" from the environment, else K/N (source "--shard").
LaunchShard resolve_shard(const std::string& text, const EnvLookup& env);

// `--device` as given, with "cuda:auto" / "hip:auto" made cuda:LOCAL_RANK / hip:LOCAL_RANK;
// `source` says which variable gave it ("" for a device given outright).
std::string resolve_device(const std::string& device, const EnvLookup& env, std::string& source);

// What `run` and `profile` do with both: resolves --shard, and --device in place, and prints on
// `log` (when not null) where an automatic one came from.
struct LaunchPlace {
  ShardSpec shard;
  std::string shard_source, device_source;
};
LaunchPlace resolve_launch_place(const std::string& shard, std::string& device, std::ostream* log);

}  // namespace imaxbench
