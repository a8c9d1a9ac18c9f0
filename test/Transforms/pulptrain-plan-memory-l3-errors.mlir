// RUN: pulptrain-opt %s --split-input-file --verify-diagnostics --pulptrain-plan-memory="arena=l2 l2-arena-size=256 l3-size=4096" -o /dev/null

// The L2 arena over its budget once what can go to L3 is there
// (pulptrain-plan-memory-l3.mlir): the buffers left in L2 at its peak are
// used there.

// expected-error @below {{function @stage does not fit: its L2 arena needs 512 bytes, more than the 256 bytes it may take, with 1 of its temporaries in L3 (those left in L2 where it needs the most are used there, or a loop carries them)}}
func.func @stage(%in: memref<64xf32>, %out: memref<64xf32>) {
  %a = memref.alloc() {alignment = 64 : i64} : memref<64xf32>
  linalg.copy ins(%in : memref<64xf32>) outs(%a : memref<64xf32>)
  %b = memref.alloc() {alignment = 64 : i64} : memref<64xf32>
  linalg.copy ins(%a : memref<64xf32>) outs(%b : memref<64xf32>)
  %c = memref.alloc() {alignment = 64 : i64} : memref<64xf32>
  linalg.copy ins(%b : memref<64xf32>) outs(%c : memref<64xf32>)
  linalg.add ins(%a, %c : memref<64xf32>, memref<64xf32>) outs(%out : memref<64xf32>)
  return
}

// -----

// A buffer that a loop carries cannot be staged around one op: nothing goes
// to L3.

// expected-error @below {{function @carried does not fit: its L2 arena needs 768 bytes, more than the 256 bytes it may take, with 0 of its temporaries in L3}}
func.func @carried(%in: memref<64xf32>, %out: memref<64xf32>) {
  %c0 = arith.constant 0 : index
  %c1 = arith.constant 1 : index
  %c2 = arith.constant 2 : index
  %a = memref.alloc() {alignment = 64 : i64} : memref<64xf32>
  linalg.copy ins(%in : memref<64xf32>) outs(%a : memref<64xf32>)
  %r = scf.for %i = %c0 to %c2 step %c1 iter_args(%x = %a) -> (memref<64xf32>) {
    linalg.copy ins(%in : memref<64xf32>) outs(%x : memref<64xf32>)
    scf.yield %x : memref<64xf32>
  }
  %b = memref.alloc() {alignment = 64 : i64} : memref<64xf32>
  linalg.copy ins(%r : memref<64xf32>) outs(%b : memref<64xf32>)
  %c = memref.alloc() {alignment = 64 : i64} : memref<64xf32>
  linalg.copy ins(%b : memref<64xf32>) outs(%c : memref<64xf32>)
  linalg.add ins(%r, %c : memref<64xf32>, memref<64xf32>) outs(%out : memref<64xf32>)
  return
}
