// Open finding of bench/fuzz (docs/Fuzzing.md): pulptrain-tile-l1 dies of
// SIGFPE (a division by zero in TileL1Pass::runOnOperation) on a reduction
// whose output has a zero-sized dimension while the loop range, taken from
// the input, is 4. The linalg verifier accepts the op.
//
//   pulptrain-opt tile-l1-zero-dim.mlir --pulptrain-tile-l1=budget=32768
#in = affine_map<(i, k) -> (i, k)>
#out = affine_map<(i, k) -> (i)>
func.func @zero(%a: memref<4x16384xf32>, %b: memref<0xf32>) {
  linalg.generic {indexing_maps = [#in, #out], iterator_types = ["parallel", "reduction"]}
      ins(%a : memref<4x16384xf32>) outs(%b : memref<0xf32>) {
  ^bb0(%x: f32, %acc: f32):
    %s = arith.addf %x, %acc : f32
    linalg.yield %s : f32
  }
  return
}
