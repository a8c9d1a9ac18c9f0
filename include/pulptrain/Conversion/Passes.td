//===- Passes.td - pulptrain conversion passes -------------*- tablegen -*-===//
//
// Conversions from the pulptrain and cluster dialects to upstream dialects.
//
//===----------------------------------------------------------------------===//

#ifndef PULPTRAIN_CONVERSION_PASSES_TD
#define PULPTRAIN_CONVERSION_PASSES_TD

include "mlir/Pass/PassBase.td"

def ConvertPulpTrainToLinalg : Pass<"convert-pulptrain-to-linalg"> {
  let summary = "Lower pulptrain ops to linalg, tensor, scf, arith and math";
  let description = [{
    The reference lowering that fixes the semantics of every pulptrain op:
    each op becomes `linalg.generic` ops on tensors (plus `tensor.pad`-like
    `insert_slice` padding and dilation, layout transposes, and `scf.for`
    for the max-pooling gradient's scatter). Every op computes in f32 and
    rounds its results once to its element type.

    Before:
    ```mlir
    %y = pulptrain.linear %x, %w : (tensor<4xf32>, tensor<2x4xf32>) -> tensor<2xf32>
    ```
    After:
    ```mlir
    %zero = linalg.fill ins(%cst : f32) outs(%e : tensor<2xf32>) -> tensor<2xf32>
    %y = linalg.generic {indexing_maps = [(o, i) -> (o, i), (o, i) -> (i),
                                          (o, i) -> (o)],
                         iterator_types = ["parallel", "reduction"]}
        ins(%w, %x : tensor<2x4xf32>, tensor<4xf32>) outs(%zero : tensor<2xf32>) {
      ^bb0(%a: f32, %b: f32, %acc: f32):
        %p = arith.mulf %a, %b : f32
        %s = arith.addf %acc, %p : f32
        linalg.yield %s : f32
    } -> tensor<2xf32>
    ```
    An op without a lowering is reported at its location and the pass fails.
  }];
  let dependentDialects = [
    "::mlir::arith::ArithDialect",
    "::mlir::linalg::LinalgDialect",
    "::mlir::math::MathDialect",
    "::mlir::scf::SCFDialect",
    "::mlir::tensor::TensorDialect",
  ];
}

def Im2Col : Pass<"pulptrain-im2col"> {
  let summary = "Lower convolutions to patch buffers (im2col) and matmuls";
  let description = [{
    Rewrites `pulptrain.conv2d`, `pulptrain.conv2d_wgt_grad` and
    `pulptrain.conv2d_in_grad` (any stride, padding, groups and layout) into
    an unrolled-patch buffer and a matrix product per group, on tensors, so
    that convolutions run as the register-blocked matmul micro-kernel
    (`pulptrain-register-block`). With R = Cg*Kh*Kw and P = Ho*Wo:

    * forward: `Y[g] (Kg x P) = W[g] (Kg x R) . P[g] (R x P)`, with
      `P[g, (c, kh, kw), (oh, ow)] = Xpad[g, c, oh*sh + kh, ow*sw + kw]`;
    * weight gradient: `dW[g] (Kg x R) = dY[g] (Kg x P) . P[g]^T`;
    * input gradient: `dX[g] (Cg x H*W) = Wf[g] . Q[g]`, where `Q` is the
      patch of the output gradient dilated by the stride and padded by the
      kernel size minus one, and `Wf` the flipped, transposed kernel
      `[Cg, Kg*Kh*Kw]` (only unpadded input positions are computed).

    Pointwise convolutions (1x1, stride 1, no padding) become the matrix
    product of the feature maps themselves, with no patch. Depthwise
    convolutions (one input channel per group) are left to
    `convert-pulptrain-to-linalg`'s direct kernel: their patch would only
    copy the input. Option `steps` restricts the rewrite to some of `fwd`,
    `wgt-grad` and `in-grad`; an unknown step name is an error.

    The patch is a temporary that `pulptrain-plan-memory` places in the
    arena. When it exceeds `patch-budget` bytes, it is built in chunks along
    the product's reduction (input channels for the forward op, output rows
    for the weight gradient, output-gradient channels for the input
    gradient), the largest that divides the dimension and fits; each chunk's
    product accumulates into the same result (partial im2col). A convolution
    whose smallest chunk does not fit keeps the direct lowering. The
    summation order is that of the direct lowering, so the results are
    bit-identical to it.

    Before:
    ```mlir
    %y = pulptrain.conv2d %x, %w stride [1, 1] padding [1, 1, 1, 1]
        : (tensor<4x8x8xf32>, tensor<8x4x3x3xf32>) -> tensor<8x8x8xf32>
    ```
    After (abridged):
    ```mlir
    %xp = tensor.insert_slice %x into %zeros[0, 1, 1] [4, 8, 8] [1, 1, 1]
    %p = linalg.generic {indexing_maps = [
           (g, c, kh, kw, oh, ow) -> (g, c, oh + kh, ow + kw), identity]}
        ins(%xpg : tensor<1x4x10x10xf32>) outs(%e : tensor<1x4x3x3x8x8xf32>)
    %pm = tensor.collapse_shape %p [[0], [1, 2, 3], [4, 5]]
        : tensor<1x4x3x3x8x8xf32> into tensor<1x36x64xf32>
    %acc = linalg.generic {indexing_maps = [(g, m, n, r) -> (g, m, r),
                                            (g, m, n, r) -> (g, r, n),
                                            (g, m, n, r) -> (g, m, n)],
                           iterator_types = ["parallel", "parallel",
                                             "parallel", "reduction"]}
        ins(%wm, %pm : tensor<1x8x36xf32>, tensor<1x36x64xf32>)
        outs(%zero : tensor<1x8x64xf32>)
    ```
  }];
  let options = [
    Option<"patchBudget", "patch-budget", "int64_t", "0",
           "Bytes of one patch buffer: larger patches are built in chunks "
           "(0: no limit)">,
    ListOption<"steps", "steps", "std::string",
               "Steps to rewrite: fwd, wgt-grad, in-grad (default: all)">,
  ];
  let dependentDialects = [
    "::mlir::arith::ArithDialect",
    "::mlir::linalg::LinalgDialect",
    "::mlir::tensor::TensorDialect",
  ];
}

def PairChannels : Pass<"pulptrain-pair-channels"> {
  let summary = "Lower 16-bit convolutions to reductions over channel pairs";
  let description = [{
    Rewrites f16/bf16 `pulptrain.conv2d` and `pulptrain.conv2d_in_grad` ops
    whose reduced channels (input channels per group for the forward op,
    output channels per group for the input gradient) are even into a direct
    convolution with the channels innermost in both operands, on copies of
    the operands in that order (the padded input, or the stride-dilated and
    padded output gradient, as HWC; the weight, or the flipped weight, with
    the reduced channels last). The reduction then reads contiguous channel
    pairs at even offsets, which `pulptrain-vectorize-pairs` turns into
    packed-pair dot products (`vfdotpex`). Depthwise convolutions (one
    channel per group), odd channel counts and f32 ops keep their lowering.

    `pulptrain.conv2d_wgt_grad` ops with a column stride of 1 and an even
    output width reduce over output column pairs instead: the taps at even
    column offsets read the padded input (its rows made even in length),
    those at odd offsets a copy of it shifted left by one column, one
    generic per parity of the taps, interleaved into the f32 gradient. The
    shifted copy is made only when each of its elements feeds at least 8
    MACs (output channels per group times kernel rows times odd taps), so a
    depthwise 3x3 weight gradient keeps its lowering.

    The summation order becomes (kh, kw, c) instead of (c, kh, kw), so the
    results agree with the CHW lowering within the f16/bf16 tolerances
    (they are the same on every core count). Run for `target=riscv32` with
    `simd` (docs/Vectorization.md).

    Before:
    ```mlir
    %y = pulptrain.conv2d %x, %w stride [1, 1] padding [1, 1, 1, 1]
        : (tensor<4x8x8xf16>, tensor<8x4x3x3xf16>) -> tensor<8x8x8xf16>
    ```
    After (abridged):
    ```mlir
    %xt = linalg.transpose ins(%xp : tensor<1x4x10x10xf16>)
        outs(%e0 : tensor<1x10x10x4xf16>) permutation = [0, 2, 3, 1]
    %wt = linalg.transpose ins(%wg : tensor<1x8x4x3x3xf16>)
        outs(%e1 : tensor<1x8x3x3x4xf16>) permutation = [0, 1, 3, 4, 2]
    %y = linalg.generic {indexing_maps = [
           (g, k, oh, ow, kh, kw, c) -> (g, oh + kh, ow + kw, c),
           (g, k, oh, ow, kh, kw, c) -> (g, k, kh, kw, c),
           (g, k, oh, ow, kh, kw, c) -> (g, k, oh, ow)],
         iterator_types = ["parallel", "parallel", "parallel", "parallel",
                           "reduction", "reduction", "reduction"]}
        ins(%xt, %wt : tensor<1x10x10x4xf16>, tensor<1x8x3x3x4xf16>)
        outs(%zero : tensor<1x8x8x8xf32>)
    ```
  }];
  let dependentDialects = [
    "::mlir::arith::ArithDialect",
    "::mlir::linalg::LinalgDialect",
    "::mlir::tensor::TensorDialect",
  ];
}

def ConvertClusterToLLVM : Pass<"convert-cluster-to-llvm", "::mlir::ModuleOp"> {
  let summary = "Lower the cluster dialect to calls of the pulptrain runtime";
  let description = [{
    The one place where the compiler names the C runtime
    (`runtime/include/pulptrain_rt.h`). Runs in the to-LLVM stage, before
    `expand-strided-metadata` and the upstream conversions to the LLVM
    dialect, which take the calls, address computations and argument
    vectors it emits the rest of the way (bare pointers, 32-bit indices on
    riscv32).

    * `cluster.core_id`, `cluster.num_cores`: `pulptrain_core_id()`,
      `pulptrain_team_size()`, cast to `index`;
    * `cluster.barrier`: `pulptrain_barrier()`;
    * `cluster.fork @k(args)`: the arguments' addresses (or index values)
      stored into one argument vector per calling function (on its stack,
      allocated once at its entry and shared by its forks, which run one
      after the other), then `pulptrain_fork_kernel(&k, n, argv)`;
    * `cluster.dma_start`: `pulptrain_dma_copy(ext, loc, bytes, dir)` for a
      contiguous L2 side, `pulptrain_dma_copy_2d(ext, loc, bytes, stride,
      row, dir)` for rows at a stride, `dir` 0 (L2 to L1) or 1 (L1 to L2)
      from the memory spaces of the two sides; a `!cluster.dma_token`
      becomes the runtime's `i32` handle;
    * `cluster.dma_wait`: `pulptrain_dma_wait(h)` per token, or
      `pulptrain_dma_wait_all()` without tokens;
    * `cluster.profile_enter/exit`: `pulptrain_prof_enter/exit(region)`.

    Before:
    ```mlir
    %t = cluster.dma_start %x, %buf
        : memref<64xf32> to memref<64xf32, #pulptrain.memory<l1>>
    cluster.dma_wait on %t
    ```
    After:
    ```mlir
    %ext = memref.extract_aligned_pointer_as_index %x : memref<64xf32> -> index
    %loc = memref.extract_aligned_pointer_as_index %buf
        : memref<64xf32, #pulptrain.memory<l1>> -> index
    %h = call @pulptrain_dma_copy(%ext, %loc, %c256, %c0_i32)
        : (index, index, index, i32) -> i32
    call @pulptrain_dma_wait(%h) : (i32) -> ()
    ```
    A function of the module that takes a runtime function's name with
    another type is reported and the pass fails.
  }];
  let dependentDialects = [
    "::mlir::LLVM::LLVMDialect",
    "::mlir::arith::ArithDialect",
    "::mlir::func::FuncDialect",
    "::mlir::memref::MemRefDialect",
  ];
}

def ConvertPairsToXfvec : Pass<"convert-pairs-to-xfvec"> {
  let summary = "Lower packed f16/bf16 pairs to the cores' FP16 SIMD "
                "instructions (Xfvec) as inline assembly";
  let description = [{
    LLVM 22 does not know the PULP FP16 SIMD extension (Xfvec,
    `shared/ISA.md`) and scalarizes `<2 x half>` arithmetic, so this pass
    emits each packed-pair op as an `llvm.inline_asm` of one `.insn r`
    whose operands are 32-bit integer registers: a pair is one register
    (Zhinx), an f32 one register (Zfinx). The encodings (opcode, funct3,
    funct7) are read from the simulator's instruction table
    (`runtime/sim/include/pulptrain/sim/Instructions.def`), the one table
    the compiler and the simulator share.

    * `cluster.dotpex` on `vector<2xf16>` / `vector<2xbf16>`:
      `vfdotpex.s.h` / `vfdotpex.s.ah`, the accumulator tied to `rd`;
    * `arith.addf`, `subf`, `mulf`, `minnumf`, `maxnumf` on pairs:
      `vfadd`, `vfsub`, `vfmul`, `vfmin`, `vfmax` `.h` / `.ah`;
    * `math.fma` on pairs: `vfmac.h` / `vfmac.ah`, the addend tied to `rd`;
    * `cluster.pack %x, %y`: `vfcpka.h.s` / `vfcpka.ah.s` (each lane
      rounded once, `%x` in lane 0);
    * `vector.extract` of a lane of a pair: the register (lane 0) or the
      register shifted right by 16 (lane 1), truncated to 16 bits, so that
      a pair loaded as one word stays one `lw`;
    * `math.fma` in f32 of two `arith.extf` of f16 (the scalar part of an
      f16 reduction that is not paired): the expanding scalar FMA of the
      same extension family, `fmacex.s.h`, on the halves' registers: the
      same single rounding as `fmadd.s` of the extended values
      (bit-identical) without the two `fcvt.s.h`; the same for two bf16
      with `fmacex.s.ah`, each register the bf16's bits in 15:0 (zero
      above) without the two shifts of the extensions;
    * scalar `arith.truncf` of f32 to bf16 (round to nearest even: no
      rounding mode or `to_nearest_even`): `vfcvt.ah.s`, whose rs2 field
      is part of the opcode (`x4`), one instruction where
      `arith-expand{include-bf16}` makes about eight and a branch. The
      instruction rounds in the dynamic rounding mode, which nothing
      changes from its reset value (round to nearest even), and gives the
      canonical NaN `0x7fc0` for every NaN, as the integer code: the bits
      are the same. f16 needs nothing: LLVM rounds it with one `fcvt.h.s`
      (Zhinx).

    Then the remaining vector ops (the pair loads and stores, alignment 4)
    go through upstream's vector-to-LLVM patterns with `index-bitwidth`
    (upstream's pass has no such option); LLVM folds their bitcasts to
    `i32` into one `lw`/`sw`. Runs on riscv32 with `simd` (the CORE-V
    build; the standard-ISA build for QEMU has no Xfvec), in the to-LLVM
    stage before `arith-expand{include-bf16}` (what it leaves of the bf16
    conversions) and `finalize-memref-to-llvm`; the rewrite is one walk
    without folding, and a module without vector ops is left as it is.

    Before:
    ```mlir
    %s = cluster.dotpex %a, %b, %acc : vector<2xf16>
    ```
    After:
    ```mlir
    %0 = llvm.bitcast %a : vector<2xf16> to i32
    %1 = llvm.bitcast %b : vector<2xf16> to i32
    %2 = llvm.bitcast %acc : f32 to i32
    %3 = llvm.inline_asm ".insn r 0x33, 0, 0x4b, $0, $1, $2", "=r,r,r,0"
        %0, %1, %2 : (i32, i32, i32) -> i32
    %s = llvm.bitcast %3 : i32 to f32
    ```
  }];
  let options = [
    Option<"indexBitwidth", "index-bitwidth", "unsigned", "32",
           "Bit width of `index` in the pair loads' address arithmetic "
           "(that of the memref lowering)">,
  ];
  let dependentDialects = ["::mlir::LLVM::LLVMDialect"];
}

#endif // PULPTRAIN_CONVERSION_PASSES_TD
