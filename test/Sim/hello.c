// Program output goes to stdout, the summary to stderr after a separator,
// and the exit status is the value written to EXIT.
// RUN: %rvcc-sim %s -o %t
// RUN: %python %S/Inputs/expect_exit.py 7 pulptrain-sim --cores 1 %t > %t.out 2> %t.err
// RUN: FileCheck %s --check-prefix=OUT < %t.out
// RUN: FileCheck %s --check-prefix=SUM < %t.err
// RUN: %python %S/Inputs/expect_exit.py 7 pulptrain-sim --cores 1 --quiet %t 2>&1 | FileCheck %s --check-prefix=QUIET
// RUN: %python %S/Inputs/expect_exit.py 7 pulptrain-sim --cores 1 --stats-json %t.json -q %t
// RUN: FileCheck %s --check-prefix=JSON < %t.json
// RUN: %python %S/Inputs/expect_exit.py 7 pulptrain-sim --cores 1 -q --trace %t 2>&1 | FileCheck %s --check-prefix=TRACE

// OUT: hello, world -42
// OUT-NOT: summary

// SUM: ==== pulptrain-sim summary ====
// SUM-NEXT: cores 1, cycles {{[0-9]+}}, instructions {{[0-9]+}}, exit code 7
// SUM: cycles
// SUM-NEXT: instructions
// SUM-NEXT: load_stalls
// SUM-NEXT: tcdm_contentions
// SUM-NEXT: branch_stalls
// SUM-NEXT: l2_accesses
// SUM-NEXT: fp_ops
// SUM-NEXT: macs
// SUM-NEXT: sleep_cycles

// QUIET: hello, world -42
// QUIET-NOT: summary

// JSON: "config": {"cores": 1, "l1_size": 131072, "l2_size": 1048576
// JSON: "exit_code": 7
// JSON: "host_seconds":
// JSON: "mips":
// JSON: "total": {"cycles":
// JSON: "per_core": [

// TRACE: {{ +}}0  0 0x1c000000 csrrs t0, mhartid, zero
// TRACE: sw a0, 0(t1)

#include "print.h"

static const char msg[] = "hello, world ";
int main(int id) {
  print_str(msg);
  print_int(-42);
  print_str("\n");
  return 7;
}
