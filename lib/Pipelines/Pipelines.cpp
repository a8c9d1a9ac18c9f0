//===- Pipelines.cpp - Named pass pipelines of pulptrain ------------------===//
//
// Builds and registers the pass pipelines of the compiler.
//
//===----------------------------------------------------------------------===//

#include "pulptrain/Pipelines/Pipelines.h"

#include "mlir/Pass/PassManager.h"
#include "mlir/Pass/PassRegistry.h"
#include "pulptrain/Conversion/Passes.h"
#include "pulptrain/Transforms/Passes.h"
#include "llvm/Support/raw_ostream.h"

using namespace mlir;
using namespace mlir::pulptrain;

LogicalResult
mlir::pulptrain::buildLowerToLLVMPipeline(OpPassManager &pm,
                                          const LowerToLLVMOptions &options) {
  std::string bits =
      options.target == LoweringTarget::Riscv32 ? "32" : "64";
  std::string index = "index-bitwidth=" + bits;
  // L1 holds the arena (when it fits) and the tile space.
  int64_t arenaL1 = options.l1Size;
  if (options.l1Size > 0)
    arenaL1 = std::max<int64_t>(1, options.l1Size - options.l1TileBudget);
  // A patch buffer leaves room in the arena for the other temporaries.
  int64_t patchBudget = options.patchBudget;
  if (patchBudget < 0)
    patchBudget = options.l1Size > 0 ? std::max<int64_t>(1, arenaL1 / 2) : 0;
  // A 32-bit target cannot hold a buffer beyond its signed index range.
  std::string checkSizes =
      options.target == LoweringTarget::Riscv32
          ? "pulptrain-check-buffer-sizes{max-bytes=2147483647},"
          : "";
  std::string pipeline =
      checkSizes +
      // Tensor level: convolutions as patches and matmuls, then the
      // reference semantics of every other op.
      (options.im2col != "none"
           ? "pulptrain-im2col{patch-budget=" + std::to_string(patchBudget) +
                 " steps=" + options.im2col + "},"
           : std::string()) +
      "convert-pulptrain-to-linalg,canonicalize,cse,"
      // One buffer per result: a value returned twice is copied.
      "func.func(pulptrain-distinct-results),"
      // Buffers: tensors become memrefs; results become out-parameters so
      // that callers own every buffer, and arguments stay the caller's.
      "pulptrain-read-only-arguments,"
      "one-shot-bufferize{bufferize-function-boundaries=1 "
      "function-boundary-type-conversion=identity-layout-map},"
      "drop-equivalent-buffer-results,"
      "buffer-results-to-out-params{hoist-static-allocs=1 "
      "modify-public-functions=1},pulptrain-elide-result-copies,"
      // Temporaries: one static arena, reused by liveness, within budget.
      "pulptrain-plan-memory{l1-size=" + std::to_string(arenaL1) +
      " l2-size=" + std::to_string(options.l2Size) + " arena=" +
      options.arena + "},"
      "buffer-deallocation-pipeline,convert-bufferization-to-memref,"
      // Loops and scalar code.
      "pulptrain-expand-memref-copy,"
      // L2-resident ops on L1 tiles, moved by double-buffered DMA.
      "pulptrain-tile-l1{budget=" + std::to_string(options.l1TileBudget) +
      "}," +
      (options.cores > 1
           ? "convert-linalg-to-parallel-loops,"
             "pulptrain-promote-accumulators,pulptrain-register-block{unroll=4 "
             "min-iterations=" + std::to_string(options.cores) + "},cse,"
             "pulptrain-outline-parallel{"
             "cores=" + std::to_string(options.cores) + "},"
           : std::string("convert-linalg-to-parallel-loops,"
                         "pulptrain-promote-accumulators,"
                         "pulptrain-register-block{min-iterations=1 unroll=4},"
                         "cse,")) +
      "lower-affine,"
      // bf16 conversions as integer code (no __truncsfbf2 needed).
      "arith-expand{include-bf16=1},"
      "convert-math-to-libm,"
      // After math-to-libm: math.fma must become llvm.intr.fma (fmadd).
      "pulptrain-fuse-multiply-add,"
      // The cluster ops as runtime calls (before their address arithmetic
      // meets expand-strided-metadata).
      "convert-cluster-to-llvm,"
      "convert-scf-to-cf,expand-strided-metadata,"
      // Subviews (of tiles) leave affine.apply behind.
      "lower-affine,"
      // The LLVM dialect, one bare pointer per memref argument.
      "pulptrain-erase-memory-spaces,"
      "finalize-memref-to-llvm{" + index + "},pulptrain-place-globals,"
      "convert-math-to-llvm,"
      "convert-arith-to-llvm{" + index + "},"
      "convert-func-to-llvm{use-bare-ptr-memref-call-conv=1 " + index + "},"
      "convert-cf-to-llvm{" + index + "},reconcile-unrealized-casts,"
      // The conversions are partial: fail here rather than in the next tool.
      "pulptrain-verify-lowered";
  return parsePassPipeline(pipeline, pm, llvm::errs());
}

void mlir::pulptrain::registerPulpTrainPipelines() {
  PassPipelineRegistration<LowerToLLVMOptions>(
      "pulptrain-lower-to-llvm",
      "Reference lowering of pulptrain ops to the LLVM dialect "
      "(bufferized, out-parameters, bare pointers)",
      [](OpPassManager &pm, const LowerToLLVMOptions &options) {
        // The pipeline text is fixed; only a broken build can fail here.
        if (failed(buildLowerToLLVMPipeline(pm, options)))
          llvm::report_fatal_error("pulptrain-lower-to-llvm: internal "
                                   "pipeline does not parse");
      });
}
