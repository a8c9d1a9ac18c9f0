// The lowering pipeline plans the memory of the step: an arena in L1 lands
// in the .l1_bss section of the object; a model over the L2 budget is
// rejected with its buffer report. After tiling, the types say where every
// buffer is: the arena in the memory planned, the tiles in L1, the
// arguments in L2 (no memory space); the DMA copies between the two, and
// the sections of the object follow the types.
// RUN: pulptrain-opt %S/../../examples/tutorial_cnn/train_step.mlir "--pulptrain-lower-to-llvm=target=riscv32 arena=l1 l1-size=65536 l2-size=1048576" | pulptrain-translate --mlir-to-object --target=riscv32 -o %t.o
// RUN: llvm-objdump -t %t.o | FileCheck %s --check-prefix=OBJ
// RUN: not pulptrain-opt %S/../../examples/tutorial_cnn/train_step.mlir "--pulptrain-lower-to-llvm=target=riscv32 l2-size=65536" 2>&1 | FileCheck %s --check-prefix=BUDGET
// RUN: pulptrain-opt %S/../../examples/tutorial_cnn/train_step.mlir "--pulptrain-lower-to-llvm=target=riscv32 arena=l1 l1-size=65536 l1-tile-budget=32768" --mlir-print-ir-after=pulptrain-tile-l1 -o /dev/null 2>&1 | FileCheck %s --check-prefix=L1
// RUN: pulptrain-opt %S/../../examples/tutorial_cnn/train_step.mlir "--pulptrain-lower-to-llvm=target=riscv32 arena=l2 l1-size=65536 l1-tile-budget=32768" --mlir-print-ir-after=pulptrain-tile-l1 -o /dev/null 2>&1 | FileCheck %s --check-prefix=L2
// RUN: pulptrain-opt %S/../../examples/tutorial_cnn/train_step.mlir "--pulptrain-lower-to-llvm=target=riscv32 arena=l2 l1-size=65536 l1-tile-budget=32768" | pulptrain-translate --mlir-to-object --target=riscv32 -o %t2.o
// RUN: llvm-objdump -t %t2.o | FileCheck %s --check-prefix=OBJ2
// RUN: pulptrain-opt %S/../../examples/tutorial_cnn/train_step.mlir "--pulptrain-lower-to-llvm=target=riscv32 cores=8 l1-size=65536 l1-tile-budget=16384 state-l1-size=1048576" --mlir-print-ir-after=pulptrain-place-state -o /dev/null 2>&1 | FileCheck %s --check-prefix=STATE

// The fc weight gradient is computed inside its update (no 72 KiB
// temporary), which keeps the fc input (2304 bytes) live until the update.
// OBJ: .l1_bss	00002490 .L__pulptrain_arena
// OBJ2-DAG: .bss	00002490 .L__pulptrain_arena
// OBJ2-DAG: .l1_bss	00006380 .L__pulptrain_l1_tiles

// L1: memref.global "private" @__pulptrain_l1_tiles : memref<24576xi8, #pulptrain.memory<l1>>
// L1: memref.global "private" @__pulptrain_arena : memref<9360xi8, #pulptrain.memory<l1>>
// L1-LABEL: func.func @train_step(%{{.*}}: memref<8x8x8xf32> {pulptrain.input = "x"}
// L1: cluster.dma_start %{{.*}}, %{{.*}} : memref<1x8x8x8xf32> to memref<1x8x8x8xf32, #pulptrain.memory<l1>>
// L1: linalg.generic {{.*}} ins(%{{.*}}, %{{.*}} : memref<1x8x8x8xf32, #pulptrain.memory<l1>>, memref<1x16x8x3x3xf32, #pulptrain.memory<l1>>) outs(%{{.*}} : memref<1x16x6x6xf32, #pulptrain.memory<l1>>)
// L2: memref.global "private" @__pulptrain_l1_tiles : memref<25472xi8, #pulptrain.memory<l1>>
// L2: memref.global "private" @__pulptrain_arena : memref<9360xi8, #pulptrain.memory<l2>>
// L2-LABEL: func.func @train_step(
// L2: cluster.dma_start %{{.*}}, %{{.*}} : memref<1x16x6x6xf32, #pulptrain.memory<l2>> to memref<1x16x6x6xf32, #pulptrain.memory<l1>>
// BUDGET: train_step.mlir:{{[0-9]+}}:1: error: function @train_step_run does not fit: its buffers need {{[0-9]+}} bytes of L2 (2192 in arguments, {{[0-9]+}} in the state, {{[0-9]+}} in the L2 arena), more than the 65536 bytes available
// BUDGET: train_step.mlir:{{[0-9]+}}:5: note: argument #0 (input 'x', 'memref<8x8x8xf32>'): 2048 bytes in L2, live for the whole call
// BUDGET: note: training state @__pulptrain_state_train_step_fc_weight ('memref<32x576xf32>'): 73728 bytes in L2, live across steps
// BUDGET: train_step.mlir:{{[0-9]+}}:{{[0-9]+}}: note: temporary 'memref<16x6x6xf32>': 2304 bytes at offset {{[0-9]+}} of the L2 arena, live from op #{{[0-9]+}} to op #{{[0-9]+}} of the body
// BUDGET: error: function @train_step_init does not fit: its buffers need {{[0-9]+}} bytes of L2 (78336 in arguments, {{[0-9]+}} in the state, 0 in the L2 arena)
// BUDGET: note: argument #1 (parameter 'fc.weight', 'memref<32x576xf32>'): 73728 bytes in L2, live for the whole call

// The training state gets at most the L1 the tiles leave (48 KiB here,
// whatever state-l1-size asks): the fc weight (72 KiB) stays in L2.
// STATE: pulptrain.state_plan = {train_step = [{argument = 2 : i64, bytes = 4608 : i64, in_place = true, memory = "L1", name = "conv1.weight", symbol = "__pulptrain_state_train_step_conv1_weight", uses = 2 : i64}, {argument = 3 : i64, bytes = 73728 : i64, in_place = true, memory = "L2", name = "fc.weight", symbol = "__pulptrain_state_train_step_fc_weight", uses = 3 : i64}]}
