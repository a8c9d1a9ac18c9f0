// RUN: pulptrain-opt %s --split-input-file --verify-diagnostics --pulptrain-promote-accumulators

// A reduction rounded in its epilogue whose accumulator cannot be carried
// (the loop calls a function, which may read or write the output): its
// marked rounding would round every iteration, against the contract of
// pulptrain.f32_accumulator. The pass fails instead of changing results.
func.func private @opaque()
func.func @not_carried(%out: memref<16xf16>, %in: memref<16x4xf16>) {
  %c0 = arith.constant 0 : index
  %c1 = arith.constant 1 : index
  %c4 = arith.constant 4 : index
  %c16 = arith.constant 16 : index
  scf.parallel (%i) = (%c0) to (%c16) step (%c1) {
    scf.for %k = %c0 to %c4 step %c1 {
      func.call @opaque() : () -> ()
      %a = memref.load %in[%i, %k] : memref<16x4xf16>
      %o = memref.load %out[%i] : memref<16xf16>
      %acc = arith.extf %o {pulptrain.f32_accumulator} : f16 to f32
      %ea = arith.extf %a : f16 to f32
      %s = arith.addf %acc, %ea : f32
      // expected-error @below {{the f32 accumulator of a reduction rounded in its epilogue is not carried through its loops: it would be rounded in every iteration}}
      %t = arith.truncf %s {pulptrain.f32_accumulator} : f32 to f16
      memref.store %t, %out[%i] : memref<16xf16>
    }
    scf.reduce
  }
  return
}
