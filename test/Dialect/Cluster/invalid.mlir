// RUN: pulptrain-opt %s --split-input-file --verify-diagnostics

func.func @no_kernel(%a: memref<4xf32>) {
  // expected-error @below {{'cluster.fork' op kernel @missing is not a function of this module}}
  cluster.fork @missing(%a) : memref<4xf32>
  return
}

// -----

func.func private @kernel(%a: memref<4xf32>)
func.func @wrong_args(%a: memref<8xf32>) {
  // expected-error @below {{'cluster.fork' op arguments 'memref<8xf32>' do not match kernel @kernel of type '(memref<4xf32>) -> ()' (a kernel returns nothing)}}
  cluster.fork @kernel(%a) : memref<8xf32>
  return
}

// -----

func.func private @kernel(%a: memref<4xf32, strided<[2]>>)
func.func @strided_arg(%a: memref<4xf32, strided<[2]>>) {
  // expected-error @below {{'cluster.fork' op argument #0 of type 'memref<4xf32, strided<[2]>>' is not one contiguous buffer (the identity layout)}}
  cluster.fork @kernel(%a) : memref<4xf32, strided<[2]>>
  return
}

// -----

func.func private @kernel(index, index, index, index, index, index, index, index, index, index, index, index, index, index, index, index, index)
func.func @too_many(%i: index) {
  // expected-error @below {{'cluster.fork' op passes 17 arguments, more than the 16 a kernel can take}}
  cluster.fork @kernel(%i, %i, %i, %i, %i, %i, %i, %i, %i, %i, %i, %i, %i, %i, %i, %i, %i) : index, index, index, index, index, index, index, index, index, index, index, index, index, index, index, index, index
  return
}

// -----

func.func @shape(%a: memref<4xf32>, %b: memref<8xf32, #pulptrain.memory<l1>>) {
  // expected-error @below {{'cluster.dma_start' op copies 'memref<4xf32>' into 'memref<8xf32, #pulptrain.memory<l1>>': source and destination differ in shape or element type}}
  %t = cluster.dma_start %a, %b : memref<4xf32> to memref<8xf32, #pulptrain.memory<l1>>
  return
}

// -----

func.func @l1_strided(%a: memref<4x4xf32>, %b: memref<4x4xf32, strided<[8, 1]>, #pulptrain.memory<l1>>) {
  // expected-error @below {{'cluster.dma_start' op the L1 side (the destination, 'memref<4x4xf32, strided<[8, 1]>, #pulptrain.memory<l1>>') must be contiguous}}
  %t = cluster.dma_start %a, %b : memref<4x4xf32> to memref<4x4xf32, strided<[8, 1]>, #pulptrain.memory<l1>>
  return
}

// -----

func.func @l2_not_rows(%a: memref<4x4x4xf32, strided<[64, 8, 1]>>, %b: memref<4x4x4xf32, #pulptrain.memory<l1>>) {
  // expected-error @below {{'cluster.dma_start' op the L2 side (the source, 'memref<4x4x4xf32, strided<[64, 8, 1]>>') is neither contiguous nor rows at a constant stride}}
  %t = cluster.dma_start %a, %b : memref<4x4x4xf32, strided<[64, 8, 1]>> to memref<4x4x4xf32, #pulptrain.memory<l1>>
  return
}

// -----

func.func @negative_region() {
  // expected-error @below {{'cluster.profile_enter' op attribute 'region' failed to satisfy constraint: 32-bit signless integer attribute whose value is non-negative}}
  cluster.profile_enter -1
  return
}

// -----

func.func @index_elements(%a: memref<4xindex>, %b: memref<4xindex, #pulptrain.memory<l1>>) {
  // expected-error @below {{'cluster.dma_start' op moves elements of type 'index', not integers or floats}}
  %t = cluster.dma_start %a, %b : memref<4xindex> to memref<4xindex, #pulptrain.memory<l1>>
  return
}

// -----

// The two sides of a copy are in different memories: a memref without a
// memory space is in L2.

func.func @within_l2(%a: memref<4xf32>, %b: memref<4xf32, #pulptrain.memory<l2>>) {
  // expected-error @below {{'cluster.dma_start' op copies within L2 ('memref<4xf32>' into 'memref<4xf32, #pulptrain.memory<l2>>'): one side must be in L1 (#pulptrain.memory<l1>), the other in L2 (#pulptrain.memory<l2> or no memory space)}}
  %t = cluster.dma_start %a, %b : memref<4xf32> to memref<4xf32, #pulptrain.memory<l2>>
  return
}

// -----

func.func @within_l1(%a: memref<4xf32, #pulptrain.memory<l1>>, %b: memref<4xf32, #pulptrain.memory<l1>>) {
  // expected-error @below {{'cluster.dma_start' op copies within L1 ('memref<4xf32, #pulptrain.memory<l1>>' into 'memref<4xf32, #pulptrain.memory<l1>>'): one side must be in L1 (#pulptrain.memory<l1>), the other in L2 (#pulptrain.memory<l2> or no memory space)}}
  %t = cluster.dma_start %a, %b : memref<4xf32, #pulptrain.memory<l1>> to memref<4xf32, #pulptrain.memory<l1>>
  return
}

// -----

func.func @other_memory(%a: memref<4xf32, 3>, %b: memref<4xf32, #pulptrain.memory<l1>>) {
  // expected-error @below {{'cluster.dma_start' op the source ('memref<4xf32, 3>') is in memory space 3 : i64, neither #pulptrain.memory<l1> nor #pulptrain.memory<l2>}}
  %t = cluster.dma_start %a, %b : memref<4xf32, 3> to memref<4xf32, #pulptrain.memory<l1>>
  return
}

// -----

func.func @dotpex_mixed(%a: vector<2xf16>, %b: vector<2xbf16>, %acc: f32) -> f32 {
  // expected-error @below {{'cluster.dotpex' op failed to verify that all of {lhs, rhs} have same type}}
  %s = "cluster.dotpex"(%a, %b, %acc) : (vector<2xf16>, vector<2xbf16>, f32) -> f32
  return %s : f32
}

// -----

func.func @dotpex_f32(%a: vector<2xf32>, %acc: f32) -> f32 {
  // expected-error @below {{'cluster.dotpex' op operand #0 must be vector of 16-bit float or bfloat16 type values of length 2, but got 'vector<2xf32>'}}
  %s = cluster.dotpex %a, %a, %acc : vector<2xf32>
  return %s : f32
}

// -----

func.func @pack_f32(%x: f32) -> vector<2xf32> {
  // expected-error @below {{'cluster.pack' op result #0 must be vector of 16-bit float or bfloat16 type values of length 2, but got 'vector<2xf32>'}}
  %p = cluster.pack %x, %x : vector<2xf32>
  return %p : vector<2xf32>
}

// -----

// The cluster DMA does not reach L3.

func.func @dma_from_l3(%a: memref<4xf32, #pulptrain.memory<l3>>, %b: memref<4xf32, #pulptrain.memory<l1>>) {
  // expected-error @below {{'cluster.dma_start' op the source ('memref<4xf32, #pulptrain.memory<l3>>') is in L3, which the cluster DMA does not reach: cluster.l3_start copies between L3 and L2}}
  %t = cluster.dma_start %a, %b : memref<4xf32, #pulptrain.memory<l3>> to memref<4xf32, #pulptrain.memory<l1>>
  return
}

// -----

// The L3 channel copies between L3 and L2 only: not into L1.

func.func @l3_to_l1(%a: memref<4xf32, #pulptrain.memory<l3>>, %b: memref<4xf32, #pulptrain.memory<l1>>) {
  // expected-error @below {{'cluster.l3_start' op copies 'memref<4xf32, #pulptrain.memory<l3>>' into 'memref<4xf32, #pulptrain.memory<l1>>': one side must be in L3 (#pulptrain.memory<l3>), the other in L2 (#pulptrain.memory<l2> or no memory space)}}
  %t = cluster.l3_start %a, %b : memref<4xf32, #pulptrain.memory<l3>> to memref<4xf32, #pulptrain.memory<l1>>
  return
}

// -----

func.func @l2_to_l2(%a: memref<4xf32>, %b: memref<4xf32, #pulptrain.memory<l2>>) {
  // expected-error @below {{'cluster.l3_start' op copies 'memref<4xf32>' into 'memref<4xf32, #pulptrain.memory<l2>>': one side must be in L3 (#pulptrain.memory<l3>), the other in L2 (#pulptrain.memory<l2> or no memory space)}}
  %t = cluster.l3_start %a, %b : memref<4xf32> to memref<4xf32, #pulptrain.memory<l2>>
  return
}

// -----

func.func @l3_shape(%a: memref<4xf32, #pulptrain.memory<l3>>, %b: memref<8xf32>) {
  // expected-error @below {{'cluster.l3_start' op copies 'memref<4xf32, #pulptrain.memory<l3>>' into 'memref<8xf32>': source and destination differ in shape or element type}}
  %t = cluster.l3_start %a, %b : memref<4xf32, #pulptrain.memory<l3>> to memref<8xf32>
  return
}

// -----

func.func @l3_index(%a: memref<4xindex, #pulptrain.memory<l3>>, %b: memref<4xindex>) {
  // expected-error @below {{'cluster.l3_start' op moves elements of type 'index', not integers or floats}}
  %t = cluster.l3_start %a, %b : memref<4xindex, #pulptrain.memory<l3>> to memref<4xindex>
  return
}

// -----

// The channel moves one run of bytes: both sides contiguous.

func.func @l3_strided(%a: memref<4x4xf32, #pulptrain.memory<l3>>, %b: memref<4x4xf32, strided<[8, 1]>>) {
  // expected-error @below {{'cluster.l3_start' op the destination ('memref<4x4xf32, strided<[8, 1]>>') must be contiguous}}
  %t = cluster.l3_start %a, %b : memref<4x4xf32, #pulptrain.memory<l3>> to memref<4x4xf32, strided<[8, 1]>>
  return
}
