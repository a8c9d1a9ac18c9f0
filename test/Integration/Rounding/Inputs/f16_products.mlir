// The outer product y[i][j] = g[i] * x[j] in f16 (computed in f32 and
// rounded once, as a Linear weight gradient), on aligned views of one
// global so that pulptrain-vectorize-pairs can pair it: @outer copies the
// caller's g and x in, computes, and copies y out.
memref.global "private" @space : memref<256xi8> = uninitialized {alignment = 16 : i64}

func.func @outer(%gin: memref<4xf16>, %xin: memref<16xf16>, %yout: memref<4x16xf16>) {
  %c0 = arith.constant 0 : index
  %c1 = arith.constant 1 : index
  %c4 = arith.constant 4 : index
  %c16 = arith.constant 16 : index
  %c32 = arith.constant 32 : index
  %c64 = arith.constant 64 : index
  %space = memref.get_global @space : memref<256xi8>
  %g = memref.view %space[%c0][] : memref<256xi8> to memref<4xf16>
  %x = memref.view %space[%c32][] : memref<256xi8> to memref<16xf16>
  %y = memref.view %space[%c64][] : memref<256xi8> to memref<4x16xf16>
  scf.for %i = %c0 to %c4 step %c1 {
    %v = memref.load %gin[%i] : memref<4xf16>
    memref.store %v, %g[%i] : memref<4xf16>
  }
  scf.for %j = %c0 to %c16 step %c1 {
    %v = memref.load %xin[%j] : memref<16xf16>
    memref.store %v, %x[%j] : memref<16xf16>
  }
  scf.parallel (%i, %j) = (%c0, %c0) to (%c4, %c16) step (%c1, %c1) {
    %gv = memref.load %g[%i] : memref<4xf16>
    %xv = memref.load %x[%j] : memref<16xf16>
    %ge = arith.extf %gv : f16 to f32
    %xe = arith.extf %xv : f16 to f32
    %p = arith.mulf %ge, %xe : f32
    %h = arith.truncf %p : f32 to f16
    memref.store %h, %y[%i, %j] : memref<4x16xf16>
    scf.reduce
  }
  scf.for %i = %c0 to %c4 step %c1 {
    scf.for %j = %c0 to %c16 step %c1 {
      %v = memref.load %y[%i, %j] : memref<4x16xf16>
      memref.store %v, %yout[%i, %j] : memref<4x16xf16>
    }
  }
  return
}
