// Open finding of bench/fuzz (docs/Fuzzing.md): pulptrain-tile-l1 searches
// tile sizes one by one (TileL1.cpp, `for (tile = ranges[dim] / 2; tile >= 1;
// --tile)`), so its time grows linearly with a dimension: 2.8 s for this
// function at 2^31-1 elements, 22 s at 2^34; a training step with a dozen
// such ops passes the 20 s limit. Needs a tile budget (pulptrain-run sets
// one) and no L2 budget that rejects the size first.
//
//   pulptrain-opt tile-l1-slow-search.mlir \
//     "--pulptrain-lower-to-llvm=target=riscv32 l1-tile-budget=1024" -o /dev/null
func.func @forward(%x: tensor<17179869184xf32>) -> tensor<17179869184xf32> {
  %h = pulptrain.relu %x : tensor<17179869184xf32>
  return %h : tensor<17179869184xf32>
}
