//===- PairsToXfvec.cpp - packed f16/bf16 pairs as Xfvec instructions -----===//
//
// Lowers the packed-pair ops of the codegen stage to the cores' FP16 SIMD
// instructions (Xfvec, shared/ISA.md). LLVM 22 does not know Xfvec and
// scalarizes <2 x half> arithmetic, so each op becomes an `llvm.inline_asm`
// of one `.insn r` on 32-bit integer operands: a pair is one register
// (Zhinx). Scalar f32 -> bf16 roundings become one vfcvt.ah.s of the same
// family (the integer code of arith-expand{include-bf16} is about eight
// instructions); so does scalar bf16 arithmetic (an SGD update in bf16,
// pulptrain-narrow-updates), one lane of the pair instruction, which LLVM
// would otherwise compute through soft-float conversions. The encodings come from the simulator's instruction table
// (runtime/sim/include/pulptrain/sim/Instructions.def), the one table the
// compiler and the simulator share. Pair loads and stores stay
// `vector.load`/`vector.store` of alignment 4; LLVM folds their bitcasts to
// i32 into one `lw`/`sw`.
//
//===----------------------------------------------------------------------===//

#include "pulptrain/Conversion/Passes.h"

#include "mlir/Conversion/LLVMCommon/TypeConverter.h"
#include "mlir/Conversion/VectorToLLVM/ConvertVectorToLLVM.h"
#include "mlir/Dialect/Arith/IR/Arith.h"
#include "mlir/Dialect/LLVMIR/LLVMDialect.h"
#include "mlir/Dialect/Math/IR/Math.h"
#include "mlir/Dialect/Vector/IR/VectorOps.h"
#include "mlir/IR/PatternMatch.h"
#include "mlir/IR/TypeUtilities.h"
#include "mlir/Transforms/DialectConversion.h"
#include "mlir/Transforms/WalkPatternRewriteDriver.h"
#include "pulptrain/Dialect/Cluster/IR/ClusterOps.h"
#include "llvm/Support/FormatVariadic.h"

namespace mlir::pulptrain {
#define GEN_PASS_DEF_CONVERTPAIRSTOXFVEC
#include "pulptrain/Conversion/Passes.h.inc"
} // namespace mlir::pulptrain

using namespace mlir;
using namespace mlir::pulptrain;

namespace {

/// MATCH and MASK of an instruction of the simulator's table.
struct Encoding {
  uint32_t match = 0, mask = 0;
};

/// The encoding of `mnemonic` in the simulator's table (the Xfvec entries,
/// the expanding scalar ones, fmulex/fmacex.s.h and .s.ah, and the
/// half-word packs of XCVsimd, cv.pack and cv.pack.h), or nullopt.
std::optional<Encoding> lookupXfvec(StringRef mnemonic) {
  if (!mnemonic.starts_with("vf") && !mnemonic.ends_with("ex.s.h") &&
      !mnemonic.ends_with("ex.s.ah") && mnemonic != "cv.pack" &&
      mnemonic != "cv.pack.h")
    return std::nullopt;
#define INST(Id, Mnemonic, Match, Mask, Format, Flags)                         \
  if (mnemonic == Mnemonic)                                                    \
    return Encoding{Match, Mask};
#include "pulptrain/sim/Instructions.def"
#undef INST
  return std::nullopt;
}

/// `.insn r` of the R-type instruction `mnemonic` with operands $0 (rd),
/// $1 (rs1), $2 (rs2); for a conversion (MASK 0xfff0707f, rs2 a field of
/// the opcode: the `vfcvt` forms) rs2 is that field's register and $1 the
/// only operand.
std::string getInsn(StringRef mnemonic) {
  std::optional<Encoding> encoding = lookupXfvec(mnemonic);
  // The table is compiled in: a missing or non-R-type entry is a bug here.
  if (!encoding ||
      (encoding->mask != 0xfe00707f && encoding->mask != 0xfff0707f))
    llvm::report_fatal_error(llvm::Twine("no R-type Xfvec encoding for ") +
                             mnemonic);
  uint32_t match = encoding->match;
  std::string rs2 = encoding->mask == 0xfff0707f
                        ? llvm::formatv("x{0}", (match >> 20) & 0x1f).str()
                        : std::string("$2");
  return llvm::formatv(".insn r {0:x}, {1}, {2:x}, $0, $1, {3}", match & 0x7f,
                       (match >> 12) & 7, match >> 25, rs2)
      .str();
}

/// The mnemonic suffix of a pair of `element`: `h` (f16) or `ah` (bf16).
StringRef getFormat(Type element) { return element.isBF16() ? "ah" : "h"; }

/// `value` (32 bits: f32 or a pair) as an i32 register operand; an f16
/// stays a half in its register (Zhinx: the instruction reads bits 15:0),
/// a bf16 is its bits in 15:0 (zero above), and an i32 is already one.
Value toRegister(OpBuilder &b, Location loc, Value value) {
  if (value.getType().isF16() || value.getType().isInteger(32))
    return value;
  if (value.getType().isBF16())
    return LLVM::ZExtOp::create(
        b, loc, b.getI32Type(),
        LLVM::BitcastOp::create(b, loc, b.getI16Type(), value));
  return LLVM::BitcastOp::create(b, loc, b.getI32Type(), value);
}

/// One `.insn` of `mnemonic` on register operands `rs1`, `rs2` (none for a
/// conversion); `rd`, when given, is read and written (the accumulating
/// forms); the result is bitcast to `resultType`.
Value emitInsn(OpBuilder &b, Location loc, StringRef mnemonic, Type resultType,
               Value rs1, Value rs2, Value rd = {}) {
  Type i32 = b.getI32Type();
  SmallVector<Value> operands = {toRegister(b, loc, rs1)};
  std::string constraints = "=r,r";
  if (rs2) {
    operands.push_back(toRegister(b, loc, rs2));
    constraints += ",r";
  }
  if (rd) {
    operands.push_back(toRegister(b, loc, rd));
    constraints += ",0";
  }
  auto asmOp = LLVM::InlineAsmOp::create(
      b, loc, i32, operands, getInsn(mnemonic), constraints,
      /*has_side_effects=*/false, /*is_align_stack=*/false,
      LLVM::TailCallKind::None, /*asm_dialect=*/nullptr,
      /*operand_attrs=*/nullptr);
  Value result = asmOp.getResult(0);
  // A scalar f16/bf16 result: lane 0, bits 15:0.
  if (resultType.isF16() || resultType.isBF16())
    return LLVM::BitcastOp::create(
        b, loc, resultType,
        LLVM::TruncOp::create(b, loc, b.getI16Type(), result));
  return resultType == i32 ? result
                           : LLVM::BitcastOp::create(b, loc, resultType, result);
}

/// Whether `type` is a packed pair the cores compute on.
bool isPair(Type type) {
  auto vector = dyn_cast<VectorType>(type);
  return vector && vector.getRank() == 1 && vector.getNumElements() == 2 &&
         (vector.getElementType().isF16() || vector.getElementType().isBF16());
}

/// Whether lane-wise arithmetic of `type` runs on the SIMD unit: a pair,
/// or a scalar bf16 in lane 0 (LLVM has no bf16 arithmetic for the cores
/// and would call the soft-float conversions; the lane-wise instruction
/// rounds as the pair code does). A scalar f16 stays LLVM's (Zhinx).
bool isLaneWiseType(Type type) { return isPair(type) || type.isBF16(); }

/// cluster.dotpex -> vfdotpex.s.h / vfdotpex.s.ah (rd: the accumulator).
struct LowerDotpex : OpRewritePattern<cluster::DotpexOp> {
  using OpRewritePattern::OpRewritePattern;

  LogicalResult matchAndRewrite(cluster::DotpexOp op,
                                PatternRewriter &rewriter) const override {
    Type element = op.getLhs().getType().getElementType();
    std::string mnemonic = ("vfdotpex.s." + getFormat(element)).str();
    rewriter.replaceOp(op,
                       emitInsn(rewriter, op.getLoc(), mnemonic, op.getType(),
                                op.getLhs(), op.getRhs(), op.getAcc()));
    return success();
  }
};

/// Lane-wise arithmetic on a pair (or a scalar bf16: isLaneWiseType) ->
/// vfadd/vfsub/vfmul/vfmin/vfmax.
template <typename OpTy> struct LowerLaneWise : OpRewritePattern<OpTy> {
  LowerLaneWise(MLIRContext *ctx, StringRef operation)
      : OpRewritePattern<OpTy>(ctx), operation(operation) {}

  LogicalResult matchAndRewrite(OpTy op,
                                PatternRewriter &rewriter) const override {
    if (!isLaneWiseType(op.getType()))
      return failure();
    Type element = getElementTypeOrSelf(op.getType());
    std::string mnemonic = ("vf" + operation + "." + getFormat(element)).str();
    rewriter.replaceOp(op, emitInsn(rewriter, op.getLoc(), mnemonic,
                                    op.getType(), op.getLhs(), op.getRhs()));
    return success();
  }

  std::string operation;
};

/// math.fma on pairs (or a scalar bf16) -> vfmac (rd: the addend), one
/// rounding per lane.
struct LowerFma : OpRewritePattern<math::FmaOp> {
  using OpRewritePattern::OpRewritePattern;

  LogicalResult matchAndRewrite(math::FmaOp op,
                                PatternRewriter &rewriter) const override {
    if (!isLaneWiseType(op.getType()))
      return failure();
    Type element = getElementTypeOrSelf(op.getType());
    std::string mnemonic = ("vfmac." + getFormat(element)).str();
    rewriter.replaceOp(op,
                       emitInsn(rewriter, op.getLoc(), mnemonic, op.getType(),
                                op.getA(), op.getB(), op.getC()));
    return success();
  }
};

/// The f16 or bf16 that `v` extends (arith.extf), or null.
Value getExtended16(Value v) {
  auto ext = v.getDefiningOp<arith::ExtFOp>();
  return ext && ext.getIn().getType().getIntOrFloatBitWidth() == 16
             ? ext.getIn()
             : Value();
}

/// math.fma(extf(a), extf(b), c : f32) of two f16 (bf16) -> fmacex.s.h
/// (fmacex.s.ah): the 16-bit operands straight from their registers, the
/// product exact and the sum rounded once into the f32 accumulator, as the
/// fused fmadd.s of the two extended values (bit-identical) without the
/// two conversions (for bf16: two shifts).
struct LowerExpandingFma : OpRewritePattern<math::FmaOp> {
  using OpRewritePattern::OpRewritePattern;

  LogicalResult matchAndRewrite(math::FmaOp op,
                                PatternRewriter &rewriter) const override {
    if (!op.getType().isF32())
      return failure();
    Value a = getExtended16(op.getA()), b = getExtended16(op.getB());
    if (!a || !b || a.getType() != b.getType())
      return failure();
    std::string mnemonic = ("fmacex.s." + getFormat(a.getType())).str();
    rewriter.replaceOp(op, emitInsn(rewriter, op.getLoc(), mnemonic,
                                    op.getType(), a, b, op.getC()));
    return success();
  }
};

/// cluster.pack -> vfcpka.h.s / vfcpka.ah.s: both lanes rounded once (to
/// nearest even, as arith.truncf), `lo` in lane 0.
struct LowerPack : OpRewritePattern<cluster::PackOp> {
  using OpRewritePattern::OpRewritePattern;

  LogicalResult matchAndRewrite(cluster::PackOp op,
                                PatternRewriter &rewriter) const override {
    Type element = op.getType().getElementType();
    std::string mnemonic = ("vfcpka." + getFormat(element) + ".s").str();
    rewriter.replaceOp(op, emitInsn(rewriter, op.getLoc(), mnemonic,
                                    op.getType(), op.getLo(), op.getHi()));
    return success();
  }
};

/// Scalar arith.truncf f32 -> bf16 -> vfcvt.ah.s: lane 0 rounded to
/// nearest even in the dynamic rounding mode, which nothing changes from
/// its reset value (RNE), lane 1 cleared; NaNs become the canonical 0x7fc0.
/// Bit for bit the integer rounding of `arith-expand{include-bf16}` (about
/// eight instructions and a branch), which then expands what is left.
/// f16 needs nothing: LLVM rounds it with one fcvt.h.s (Zhinx).
struct LowerBf16Rounding : OpRewritePattern<arith::TruncFOp> {
  using OpRewritePattern::OpRewritePattern;

  LogicalResult matchAndRewrite(arith::TruncFOp op,
                                PatternRewriter &rewriter) const override {
    std::optional<arith::RoundingMode> mode = op.getRoundingmode();
    if (!op.getIn().getType().isF32() || !op.getType().isBF16() ||
        (mode && *mode != arith::RoundingMode::to_nearest_even))
      return failure();
    Location loc = op.getLoc();
    Value word = emitInsn(rewriter, loc, "vfcvt.ah.s", rewriter.getI32Type(),
                          op.getIn(), /*rs2=*/{});
    Value bits =
        LLVM::TruncOp::create(rewriter, loc, rewriter.getI16Type(), word);
    rewriter.replaceOp(
        op, LLVM::BitcastOp::create(rewriter, loc, op.getType(), bits));
    return success();
  }
};

/// vector.extract of lane `l` of a pair -> the pair's register shifted
/// right by 16*l and truncated to the lane's 16 bits: a pair loaded as one
/// word keeps one `lw` (LLVM would split the load of an illegal
/// `<2 x half>` to extract a lane), and lane 0 is the register itself
/// (Zhinx: an f16 instruction reads bits 15:0).
struct LowerLaneExtract : OpRewritePattern<vector::ExtractOp> {
  using OpRewritePattern::OpRewritePattern;

  LogicalResult matchAndRewrite(vector::ExtractOp op,
                                PatternRewriter &rewriter) const override {
    if (!isPair(op.getSource().getType()) || op.hasDynamicPosition() ||
        op.getStaticPosition().size() != 1)
      return failure();
    Location loc = op.getLoc();
    Value word = LLVM::BitcastOp::create(rewriter, loc, rewriter.getI32Type(),
                                         op.getSource());
    if (int64_t lane = op.getStaticPosition()[0]; lane != 0)
      word = LLVM::LShrOp::create(
          rewriter, loc, word,
          LLVM::ConstantOp::create(rewriter, loc, rewriter.getI32Type(),
                                   rewriter.getI32IntegerAttr(16 * lane)));
    Value bits =
        LLVM::TruncOp::create(rewriter, loc, rewriter.getI16Type(), word);
    rewriter.replaceOp(
        op, LLVM::BitcastOp::create(rewriter, loc, op.getType(), bits));
    return success();
  }
};

/// vector.shuffle of two pairs taking the same lane of each, [0, 2] or
/// [1, 3] -> cv.pack (lanes 0) or cv.pack.h (lanes 1) of XCVsimd: rs1 gives
/// lane 1 of the result, rs2 lane 0 (OpenHW CV32E40P user manual). LLVM 22
/// has the instructions but no intrinsic or pattern that emits them for a
/// shuffle of two halves, so they go through the same `.insn` as Xfvec.
struct LowerLaneShuffle : OpRewritePattern<vector::ShuffleOp> {
  using OpRewritePattern::OpRewritePattern;

  LogicalResult matchAndRewrite(vector::ShuffleOp op,
                                PatternRewriter &rewriter) const override {
    if (!isPair(op.getV1().getType()) || !isPair(op.getType()))
      return failure();
    ArrayRef<int64_t> mask = op.getMask();
    StringRef mnemonic;
    if (mask == ArrayRef<int64_t>{0, 2})
      mnemonic = "cv.pack";
    else if (mask == ArrayRef<int64_t>{1, 3})
      mnemonic = "cv.pack.h";
    else
      return failure();
    Location loc = op.getLoc();
    Type i32 = rewriter.getI32Type();
    Value lo = LLVM::BitcastOp::create(rewriter, loc, i32, op.getV1());
    Value hi = LLVM::BitcastOp::create(rewriter, loc, i32, op.getV2());
    rewriter.replaceOp(
        op, emitInsn(rewriter, loc, mnemonic, op.getType(), hi, lo));
    return success();
  }
};

struct ConvertPairsToXfvecPass
    : pulptrain::impl::ConvertPairsToXfvecBase<ConvertPairsToXfvecPass> {
  using ConvertPairsToXfvecBase::ConvertPairsToXfvecBase;

  void runOnOperation() override {
    RewritePatternSet patterns(&getContext());
    populatePairsToXfvecPatterns(patterns);
    // One walk, no folding: code without pairs stays as it is.
    walkAndApplyPatterns(getOperation(), std::move(patterns));

    // The pair loads and stores (and any lane access), upstream, with the
    // index width of the memref lowering that follows.
    bool hasVector = false;
    getOperation()->walk([&](Operation *op) {
      if (isa<vector::VectorDialect>(op->getDialect()))
        hasVector = true;
    });
    if (!hasVector)
      return;
    LowerToLLVMOptions options(&getContext());
    options.overrideIndexBitwidth(indexBitwidth);
    LLVMTypeConverter converter(&getContext(), options);
    RewritePatternSet vectorPatterns(&getContext());
    populateVectorToLLVMConversionPatterns(converter, vectorPatterns);
    ConversionTarget target(getContext());
    target.addLegalDialect<LLVM::LLVMDialect>();
    target.addIllegalDialect<vector::VectorDialect>();
    target.markUnknownOpDynamicallyLegal([](Operation *) { return true; });
    if (failed(applyPartialConversion(getOperation(), target,
                                      std::move(vectorPatterns))))
      signalPassFailure();
  }
};

} // namespace

void mlir::pulptrain::populatePairsToXfvecPatterns(
    RewritePatternSet &patterns) {
  MLIRContext *ctx = patterns.getContext();
  patterns.add<LowerDotpex, LowerFma, LowerExpandingFma, LowerPack,
               LowerBf16Rounding, LowerLaneExtract, LowerLaneShuffle>(ctx);
  patterns.add<LowerLaneWise<arith::AddFOp>>(ctx, "add");
  patterns.add<LowerLaneWise<arith::SubFOp>>(ctx, "sub");
  patterns.add<LowerLaneWise<arith::MulFOp>>(ctx, "mul");
  patterns.add<LowerLaneWise<arith::MinNumFOp>>(ctx, "min");
  patterns.add<LowerLaneWise<arith::MaxNumFOp>>(ctx, "max");
}
