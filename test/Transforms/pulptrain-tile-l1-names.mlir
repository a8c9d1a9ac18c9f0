// Without the pulptrain.layer attribute, the error names the layer after the
// op's location, as the importer gives it (the conversion to linalg keeps
// locations, not attributes), and points at the model's source.
// RUN: not pulptrain-opt %s --pulptrain-tile-l1="budget=32768" 2>&1 | FileCheck %s

// CHECK: model.py:12:3: error: 'linalg.generic' op does not fit in L1 of layer 'fc2': its smallest tile needs 65552 bytes, the L1 tile budget is 32768 bytes
#in = affine_map<(i, k) -> (i, k)>
#out = affine_map<(i, k) -> (i)>
func.func @named(%a: memref<4x16384xf16>, %b: memref<4xf16>) {
  linalg.generic {indexing_maps = [#in, #out], iterator_types = ["parallel", "reduction"]}
      ins(%a : memref<4x16384xf16>) outs(%b : memref<4xf16>) {
  ^bb0(%x: f16, %acc: f16):
    %s = arith.addf %x, %acc : f16
    linalg.yield %s : f16
  } loc(#fc2)
  return
}
#fc2 = loc("fc2"("model.py":12:3))
