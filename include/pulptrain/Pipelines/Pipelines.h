//===- Pipelines.h - Named pass pipelines of pulptrain ------------*- C++ -*-===//
//
// The pass pipelines the tools run, built from pulptrain and upstream passes.
//
//===----------------------------------------------------------------------===//

#ifndef PULPTRAIN_PIPELINES_PIPELINES_H
#define PULPTRAIN_PIPELINES_PIPELINES_H

#include "mlir/Pass/PassOptions.h"

namespace mlir {
class OpPassManager;
} // namespace mlir

namespace mlir::pulptrain {

/// The machine a lowered program runs on.
enum class LoweringTarget { Host, Riscv32 };

/// Options of the reference lowering to the LLVM dialect.
struct LowerToLLVMOptions : public PassPipelineOptions<LowerToLLVMOptions> {
  Option<LoweringTarget> target{
      *this, "target",
      llvm::cl::desc("Code generation target (sets the index width)"),
      llvm::cl::init(LoweringTarget::Host),
      llvm::cl::values(
          clEnumValN(LoweringTarget::Host, "host", "the host, 64-bit index"),
          clEnumValN(LoweringTarget::Riscv32, "riscv32",
                     "the PULP cluster, 32-bit index"))};
  Option<int64_t> l1Size{
      *this, "l1-size",
      llvm::cl::desc("L1 bytes for data: the buffer arena (in L1 when it "
                     "fits next to the tiles) and the tiles (0: unlimited)"),
      llvm::cl::init(0)};
  Option<int64_t> l2Size{
      *this, "l2-size",
      llvm::cl::desc("L2 bytes for buffers and arena (0: unlimited)"),
      llvm::cl::init(0)};
  Option<int64_t> cores{
      *this, "cores",
      llvm::cl::desc("Cluster cores: above 1, parallel loops become kernels "
                     "forked on all cores"),
      llvm::cl::init(1)};
  Option<int64_t> l1TileBudget{
      *this, "l1-tile-budget",
      llvm::cl::desc("L1 bytes for tiles of L2-resident ops, moved by DMA "
                     "(0: compute on L2 directly)"),
      llvm::cl::init(0)};
  Option<std::string> im2col{
      *this, "im2col",
      llvm::cl::desc("Conv2D steps (except depthwise) lowered to patch "
                     "buffers and matmuls by pulptrain-im2col: a "
                     "comma-separated list of fwd, wgt-grad and in-grad, or "
                     "none"),
      llvm::cl::init("in-grad")};
  Option<int64_t> patchBudget{
      *this, "patch-budget",
      llvm::cl::desc("Bytes of one im2col patch buffer (-1: half the L1 "
                     "bytes the tiles leave to the arena, or no limit "
                     "without l1-size)"),
      llvm::cl::init(-1)};
  Option<std::string> arena{
      *this, "arena",
      llvm::cl::desc("Memory of the buffer arena: l2, l1 or auto"),
      llvm::cl::init("l2")};
};

/// The reference lowering: pulptrain ops to linalg on tensors, one-shot
/// bufferization with results as out-parameters, loops, and the LLVM
/// dialect with one bare pointer per buffer argument.
LogicalResult buildLowerToLLVMPipeline(OpPassManager &pm,
                                       const LowerToLLVMOptions &options);

/// Registers the pipelines with the pass registry (`--pulptrain-lower-to-llvm`).
void registerPulpTrainPipelines();

} // namespace mlir::pulptrain

#endif // PULPTRAIN_PIPELINES_PIPELINES_H
