//===- ClusterToLLVM.cpp - cluster ops as calls of the runtime ------------===//
//
// Lowers the cluster dialect to the C runtime (runtime/include/
// pulptrain_rt.h): the only place of the compiler that names a runtime
// function. The calls take addresses as `index` values and the kernels as
// LLVM pointers, so that the upstream conversions of the to-LLVM stage
// finish the job with bare pointers and 32-bit indices.
//
//===----------------------------------------------------------------------===//

#include "pulptrain/Conversion/Passes.h"

#include "mlir/Dialect/Arith/IR/Arith.h"
#include "mlir/Dialect/Func/IR/FuncOps.h"
#include "mlir/Dialect/LLVMIR/LLVMDialect.h"
#include "mlir/Dialect/MemRef/IR/MemRef.h"
#include "mlir/Dialect/SCF/Transforms/Patterns.h"
#include "mlir/IR/Builders.h"
#include "mlir/IR/SymbolTable.h"
#include "mlir/Transforms/DialectConversion.h"
#include "pulptrain/Dialect/Cluster/IR/ClusterOps.h"
#include "pulptrain/Support/ByteSize.h"

namespace mlir::pulptrain {
#define GEN_PASS_DEF_CONVERTCLUSTERTOLLVM
#include "pulptrain/Conversion/Passes.h.inc"
} // namespace mlir::pulptrain

using namespace mlir;
using namespace mlir::pulptrain;
using namespace mlir::pulptrain::cluster;

namespace {

/// The runtime's entry points and their C types.
namespace rt {
constexpr StringLiteral kCoreId = "pulptrain_core_id";
constexpr StringLiteral kTeamSize = "pulptrain_team_size";
constexpr StringLiteral kBarrier = "pulptrain_barrier";
constexpr StringLiteral kForkKernel = "pulptrain_fork_kernel";
constexpr StringLiteral kDmaCopy = "pulptrain_dma_copy";
constexpr StringLiteral kDmaCopy2d = "pulptrain_dma_copy_2d";
constexpr StringLiteral kDmaWait = "pulptrain_dma_wait";
constexpr StringLiteral kDmaWaitAll = "pulptrain_dma_wait_all";
constexpr StringLiteral kL3Copy = "pulptrain_l3_copy";
constexpr StringLiteral kL3Wait = "pulptrain_l3_wait";
constexpr StringLiteral kL3WaitAll = "pulptrain_l3_wait_all";
constexpr StringLiteral kProfEnter = "pulptrain_prof_enter";
constexpr StringLiteral kProfExit = "pulptrain_prof_exit";

/// The function type of runtime entry point `name`.
FunctionType getType(MLIRContext *ctx, StringRef name) {
  Builder b(ctx);
  Type i32 = b.getI32Type(), index = b.getIndexType();
  if (name == kCoreId || name == kTeamSize)
    return b.getFunctionType({}, {i32});
  if (name == kBarrier || name == kDmaWaitAll || name == kL3WaitAll)
    return b.getFunctionType({}, {});
  if (name == kForkKernel)
    return b.getFunctionType(
        {LLVM::LLVMPointerType::get(ctx), i32,
         MemRefType::get({ForkOp::kMaxArgs}, index)},
        {});
  if (name == kDmaCopy || name == kL3Copy)
    return b.getFunctionType({index, index, index, i32}, {i32});
  if (name == kDmaCopy2d)
    return b.getFunctionType({index, index, index, index, index, i32}, {i32});
  // kDmaWait, kL3Wait, kProfEnter, kProfExit.
  return b.getFunctionType({i32}, {});
}

constexpr StringLiteral kAll[] = {kCoreId,   kTeamSize,  kBarrier,
                                  kForkKernel, kDmaCopy, kDmaCopy2d,
                                  kDmaWait,  kDmaWaitAll, kL3Copy,
                                  kL3Wait,   kL3WaitAll, kProfEnter,
                                  kProfExit};
} // namespace rt

/// Calls runtime entry point `name` (declared by the pass).
func::CallOp callRuntime(OpBuilder &b, Location loc, StringRef name,
                         ValueRange args) {
  return func::CallOp::create(b, loc, name,
                              rt::getType(b.getContext(), name).getResults(),
                              args);
}

/// The address of the first element of `memref`, as an index.
Value getAddress(OpBuilder &b, Location loc, Value memref) {
  Value base = memref::ExtractAlignedPointerAsIndexOp::create(b, loc, memref);
  auto type = cast<MemRefType>(memref.getType());
  if (type.getLayout().isIdentity())
    return base;
  auto metadata = memref::ExtractStridedMetadataOp::create(b, loc, memref);
  int64_t elementBytes = getElementByteSize(type.getElementType());
  Value bytes = arith::MulIOp::create(
      b, loc, metadata.getOffset(),
      arith::ConstantIndexOp::create(b, loc, elementBytes));
  return arith::AddIOp::create(b, loc, base, bytes);
}

/// A pattern lowering `Op` to a call of the runtime entry point `callee`.
template <typename Op>
struct RuntimeCallPattern : OpConversionPattern<Op> {
  RuntimeCallPattern(const TypeConverter &converter, MLIRContext *ctx,
                     StringRef callee)
      : OpConversionPattern<Op>(converter, ctx), callee(callee) {}
  StringRef callee;
};

/// A runtime call that yields an `index` (core id, team size).
template <typename Op>
struct IndexQueryLowering : RuntimeCallPattern<Op> {
  using RuntimeCallPattern<Op>::RuntimeCallPattern;
  LogicalResult
  matchAndRewrite(Op op, typename Op::Adaptor,
                  ConversionPatternRewriter &rewriter) const override {
    Value v =
        callRuntime(rewriter, op.getLoc(), this->callee, {}).getResult(0);
    rewriter.replaceOpWithNewOp<arith::IndexCastUIOp>(
        op, rewriter.getIndexType(), v);
    return success();
  }
};

struct BarrierLowering : OpConversionPattern<BarrierOp> {
  using OpConversionPattern::OpConversionPattern;
  LogicalResult
  matchAndRewrite(BarrierOp op, OpAdaptor,
                  ConversionPatternRewriter &rewriter) const override {
    callRuntime(rewriter, op.getLoc(), rt::kBarrier, {});
    rewriter.eraseOp(op);
    return success();
  }
};

/// A profiling bracket: the runtime hook with the region number.
template <typename Op>
struct ProfileLowering : RuntimeCallPattern<Op> {
  using RuntimeCallPattern<Op>::RuntimeCallPattern;
  LogicalResult
  matchAndRewrite(Op op, typename Op::Adaptor,
                  ConversionPatternRewriter &rewriter) const override {
    Value region = arith::ConstantIntOp::create(rewriter, op.getLoc(),
                                                op.getRegion(), 32);
    callRuntime(rewriter, op.getLoc(), this->callee, region);
    rewriter.eraseOp(op);
    return success();
  }
};

struct ForkLowering : OpConversionPattern<ForkOp> {
  using OpConversionPattern::OpConversionPattern;

  LogicalResult
  matchAndRewrite(ForkOp op, OpAdaptor adaptor,
                  ConversionPatternRewriter &rewriter) const override {
    Location loc = op.getLoc();
    auto parent = op->getParentOfType<FunctionOpInterface>();
    if (!parent)
      return rewriter.notifyMatchFailure(op, "not in a function");
    Value argv = getArgumentVector(parent, loc, rewriter);
    for (auto [i, arg] : llvm::enumerate(adaptor.getArgs())) {
      Value value = isa<MemRefType>(arg.getType())
                        ? getAddress(rewriter, loc, arg)
                        : arg;
      memref::StoreOp::create(
          rewriter, loc, value, argv,
          ValueRange{arith::ConstantIndexOp::create(rewriter, loc, i)});
    }
    MLIRContext *ctx = rewriter.getContext();
    auto kernel = SymbolTable::lookupNearestSymbolFrom<FunctionOpInterface>(
        op, op.getKernelAttr());
    Value fn = func::ConstantOp::create(
        rewriter, loc, cast<FunctionType>(kernel.getFunctionType()),
        op.getKernelAttr());
    Value fnPtr = UnrealizedConversionCastOp::create(
                      rewriter, loc, LLVM::LLVMPointerType::get(ctx), fn)
                      .getResult(0);
    Value numArgs = arith::ConstantIntOp::create(
        rewriter, loc, rewriter.getI32Type(), op.getArgs().size());
    callRuntime(rewriter, loc, rt::kForkKernel, {fnPtr, numArgs, argv});
    rewriter.eraseOp(op);
    return success();
  }

private:
  /// The argument vector of `parent`: on its stack, allocated once at its
  /// entry and shared by its forks (they run one after the other; a fork
  /// may be inside a loop over tiles; core stacks are small).
  Value getArgumentVector(FunctionOpInterface parent, Location loc,
                          ConversionPatternRewriter &rewriter) const {
    Value &argv = argvs[parent];
    if (!argv) {
      OpBuilder::InsertionGuard guard(rewriter);
      rewriter.setInsertionPointToStart(&parent.getFunctionBody().front());
      argv = memref::AllocaOp::create(
          rewriter, loc,
          MemRefType::get({ForkOp::kMaxArgs}, rewriter.getIndexType()));
    }
    return argv;
  }
  mutable DenseMap<Operation *, Value> argvs;
};

struct DmaStartLowering : OpConversionPattern<DmaStartOp> {
  using OpConversionPattern::OpConversionPattern;

  LogicalResult
  matchAndRewrite(DmaStartOp op, OpAdaptor adaptor,
                  ConversionPatternRewriter &rewriter) const override {
    Location loc = op.getLoc();
    bool toL1 = op.getDirection() == DmaDirection::L2ToL1;
    Value l2 = toL1 ? adaptor.getSrc() : adaptor.getDst();
    Value l1 = toL1 ? adaptor.getDst() : adaptor.getSrc();
    auto l2Type = cast<MemRefType>(l2.getType());
    std::optional<DmaShape> shape = getDmaShape(l2Type);
    if (!shape) // The verifier rejects it.
      return rewriter.notifyMatchFailure(op, "L2 side not 1-D or 2-D");
    int64_t elementBytes = getElementByteSize(l2Type.getElementType());
    auto cst = [&](int64_t v) -> Value {
      return arith::ConstantIndexOp::create(rewriter, loc, v);
    };
    Value ext = getAddress(rewriter, loc, l2);
    Value local = getAddress(rewriter, loc, l1);
    Value dir = arith::ConstantIntOp::create(rewriter, loc,
                                             rewriter.getI32Type(),
                                             static_cast<int64_t>(
                                                 op.getDirection()));
    int64_t bytes = shape->rows * shape->rowElements * elementBytes;
    func::CallOp call;
    if (shape->isContiguous())
      call = callRuntime(rewriter, loc, rt::kDmaCopy,
                         {ext, local, cst(bytes), dir});
    else
      call = callRuntime(rewriter, loc, rt::kDmaCopy2d,
                         {ext, local, cst(bytes),
                          cst(shape->rowStride * elementBytes),
                          cst(shape->rowElements * elementBytes), dir});
    rewriter.replaceOp(op, call.getResults());
    return success();
  }
};

struct DmaWaitLowering : OpConversionPattern<DmaWaitOp> {
  using OpConversionPattern::OpConversionPattern;
  LogicalResult
  matchAndRewrite(DmaWaitOp op, OpAdaptor adaptor,
                  ConversionPatternRewriter &rewriter) const override {
    if (adaptor.getTokens().empty())
      callRuntime(rewriter, op.getLoc(), rt::kDmaWaitAll, {});
    for (Value handle : adaptor.getTokens())
      callRuntime(rewriter, op.getLoc(), rt::kDmaWait, handle);
    rewriter.eraseOp(op);
    return success();
  }
};

/// `cluster.l3_start` as `pulptrain_l3_copy(l3, l2, bytes, dir)`, which
/// returns the transfer's id.
struct L3StartLowering : OpConversionPattern<L3StartOp> {
  using OpConversionPattern::OpConversionPattern;

  LogicalResult
  matchAndRewrite(L3StartOp op, OpAdaptor adaptor,
                  ConversionPatternRewriter &rewriter) const override {
    Location loc = op.getLoc();
    bool toL3 = op.isToL3();
    Value l3 = toL3 ? adaptor.getDst() : adaptor.getSrc();
    Value l2 = toL3 ? adaptor.getSrc() : adaptor.getDst();
    auto type = cast<MemRefType>(l3.getType());
    int64_t bytes =
        type.getNumElements() * getElementByteSize(type.getElementType());
    Value size = arith::ConstantIndexOp::create(rewriter, loc, bytes);
    // The runtime's pulptrain_l3_dir_t: 0 L3 to L2, 1 L2 to L3.
    Value dir = arith::ConstantIntOp::create(rewriter, loc,
                                             rewriter.getI32Type(), toL3);
    func::CallOp call = callRuntime(
        rewriter, loc, rt::kL3Copy,
        {getAddress(rewriter, loc, l3), getAddress(rewriter, loc, l2), size,
         dir});
    rewriter.replaceOp(op, call.getResults());
    return success();
  }
};

struct L3WaitLowering : OpConversionPattern<L3WaitOp> {
  using OpConversionPattern::OpConversionPattern;
  LogicalResult
  matchAndRewrite(L3WaitOp op, OpAdaptor adaptor,
                  ConversionPatternRewriter &rewriter) const override {
    if (adaptor.getTokens().empty())
      callRuntime(rewriter, op.getLoc(), rt::kL3WaitAll, {});
    for (Value handle : adaptor.getTokens())
      callRuntime(rewriter, op.getLoc(), rt::kL3Wait, handle);
    rewriter.eraseOp(op);
    return success();
  }
};

struct ConvertClusterToLLVMPass
    : pulptrain::impl::ConvertClusterToLLVMBase<ConvertClusterToLLVMPass> {
  void runOnOperation() override {
    ModuleOp module = getOperation();
    MLIRContext *ctx = &getContext();
    if (failed(declareRuntime(module)))
      return signalPassFailure();

    TypeConverter converter;
    converter.addConversion([](Type type) { return type; });
    converter.addConversion([](DmaTokenType token) -> Type {
      return IntegerType::get(token.getContext(), 32);
    });
    converter.addConversion([](L3TokenType token) -> Type {
      return IntegerType::get(token.getContext(), 32);
    });
    RewritePatternSet patterns(ctx);
    populateClusterToLLVMPatterns(converter, patterns);
    ConversionTarget target(*ctx);
    target.addIllegalDialect<ClusterDialect>();
    // Computation, not runtime: convert-pairs-to-xfvec lowers it.
    target.addLegalOp<DotpexOp, PackOp>();
    target.markUnknownOpDynamicallyLegal([](Operation *) { return true; });
    // Tokens carried through loops and branches of scf change type too.
    scf::populateSCFStructuralTypeConversionsAndLegality(converter, patterns,
                                                         target);
    if (failed(applyPartialConversion(module, target, std::move(patterns))))
      return signalPassFailure();
    removeUnusedDeclarations(module);
  }

  /// Declares every runtime entry point (unused ones are removed after the
  /// conversion); fails on a function of the module with a runtime name
  /// and another type.
  LogicalResult declareRuntime(ModuleOp module) {
    // Declarations go first, as in a C file.
    OpBuilder builder = OpBuilder::atBlockBegin(module.getBody());
    bool ok = true;
    for (StringRef name : rt::kAll) {
      FunctionType type = rt::getType(module.getContext(), name);
      if (Operation *existing = module.lookupSymbol(name)) {
        auto fn = dyn_cast<func::FuncOp>(existing);
        if (!fn || fn.getFunctionType() != type || !fn.isExternal()) {
          existing->emitError() << "'" << name
                                << "' is reserved for the cluster runtime "
                                   "and must be an external function of type "
                                << type;
          ok = false;
        }
        continue;
      }
      auto fn = func::FuncOp::create(builder, module.getLoc(), name, type);
      fn.setPrivate();
      declared.push_back(fn);
    }
    return success(ok);
  }

  void removeUnusedDeclarations(ModuleOp module) {
    for (func::FuncOp fn : declared)
      if (SymbolTable::symbolKnownUseEmpty(fn, module))
        fn.erase();
    declared.clear();
  }

  SmallVector<func::FuncOp> declared;
};

} // namespace

void mlir::pulptrain::populateClusterToLLVMPatterns(
    TypeConverter &converter, RewritePatternSet &patterns) {
  MLIRContext *ctx = patterns.getContext();
  patterns.add<IndexQueryLowering<CoreIdOp>>(converter, ctx, rt::kCoreId);
  patterns.add<IndexQueryLowering<NumCoresOp>>(converter, ctx, rt::kTeamSize);
  patterns.add<ProfileLowering<ProfileEnterOp>>(converter, ctx,
                                                rt::kProfEnter);
  patterns.add<ProfileLowering<ProfileExitOp>>(converter, ctx, rt::kProfExit);
  patterns.add<BarrierLowering, ForkLowering, DmaStartLowering,
               DmaWaitLowering, L3StartLowering, L3WaitLowering>(converter,
                                                                  ctx);
}
