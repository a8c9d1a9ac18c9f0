// RUN: pulptrain-opt %s --split-input-file --verify-diagnostics --allow-unregistered-dialect --pulptrain-plan-memory="l2-size=256"
// RUN: not pulptrain-opt %s --split-input-file --allow-unregistered-dialect --pulptrain-plan-memory="arena=l1 l1-size=200" 2>&1 | FileCheck %s --check-prefix=L1
// RUN: not pulptrain-opt %s --allow-unregistered-dialect --pulptrain-plan-memory="arena=l3" 2>&1 | FileCheck %s --check-prefix=ARENA
// RUN: not pulptrain-opt %s --allow-unregistered-dialect --pulptrain-plan-memory="alignment=12" 2>&1 | FileCheck %s --check-prefix=ALIGN

// ARENA: error: unknown arena memory 'l3' (expected l1, l2 or auto)
// L1: error: function @big does not fit: its L1 arena needs 256 bytes of L1, more than the 200 bytes available
// ALIGN: error: the arena alignment must be a power of two, got 12

// A model too large for L2: the report lists every buffer with its size
// and life, and the total against the limit.

// expected-error @below {{function @big does not fit: its buffers need 384 bytes of L2 (128 in arguments, 256 in the L2 arena), more than the 256 bytes available}}
// expected-note @below {{argument #0 ('memref<16xf32>'): 64 bytes in L2, live for the whole call}}
// expected-note @below {{argument #1 ('memref<16xf32>'): 64 bytes in L2, live for the whole call}}
func.func @big(%in: memref<16xf32>, %out: memref<16xf32>) {
  // expected-note @below {{temporary 'memref<32xf32>': 128 bytes at offset 0 of the L2 arena, live from op #1 to op #3 of the body}}
  %a = memref.alloc() : memref<32xf32>
  "test.fill"(%a) : (memref<32xf32>) -> ()
  // expected-note @below {{temporary 'memref<32xf32>': 128 bytes at offset 128 of the L2 arena, live from op #3 to op #4 of the body}}
  %b = memref.alloc() : memref<32xf32>
  "test.op"(%a, %b) : (memref<32xf32>, memref<32xf32>) -> ()
  "test.op"(%b, %out) : (memref<32xf32>, memref<16xf32>) -> ()
  return
}

// -----

// expected-error @below {{'func.func' op argument #0 of type 'memref<?xf32>' has no static size to plan}}
func.func @dynamic(%in: memref<?xf32>) {
  return
}

// -----

// expected-error @below {{the memory of this module is planned already (@__pulptrain_arena exists)}}
module {
  memref.global "private" @__pulptrain_arena : memref<16xi8> = uninitialized
}
