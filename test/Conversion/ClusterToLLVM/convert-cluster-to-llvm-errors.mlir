// RUN: pulptrain-opt %s --split-input-file --verify-diagnostics --convert-cluster-to-llvm

// The runtime's names are reserved.

// expected-error @below {{'pulptrain_prof_exit' is reserved for the cluster runtime and must be an external function of type '(i32) -> ()'}}
func.func private @pulptrain_prof_exit(i64)
func.func @step() {
  cluster.profile_enter 0
  cluster.profile_exit 0
  return
}

// -----

// expected-error @below {{'pulptrain_barrier' is reserved for the cluster runtime and must be an external function of type '() -> ()'}}
func.func @pulptrain_barrier() {
  return
}
