// Each f32 of %in rounded to bf16 into %out: one scalar arith.truncf per
// element, as the element-wise kernels of a bf16 model end.
func.func @round_bf16(%in: memref<24xf32>, %out: memref<24xbf16>) {
  %c0 = arith.constant 0 : index
  %c1 = arith.constant 1 : index
  %n = arith.constant 24 : index
  scf.for %i = %c0 to %n step %c1 {
    %x = memref.load %in[%i] : memref<24xf32>
    %y = arith.truncf %x : f32 to bf16
    memref.store %y, %out[%i] : memref<24xbf16>
  }
  return
}
