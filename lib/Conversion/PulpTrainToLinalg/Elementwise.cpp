//===- Elementwise.cpp - Lowering of element-wise pulptrain ops -----------===//
//
// Activations and their gradients, residual add, scalar arithmetic,
// dropout, casts, the MSE gradient and the SGD and Adam updates, each as
// one element-wise linalg.generic.
//
//===----------------------------------------------------------------------===//

#include "LoweringUtils.h"

#include "mlir/Dialect/Arith/IR/Arith.h"
#include "mlir/Dialect/Linalg/IR/Linalg.h"
#include "mlir/Dialect/Math/IR/Math.h"
#include "mlir/Dialect/SCF/IR/SCF.h"
#include "mlir/Dialect/Tensor/IR/Tensor.h"
#include "mlir/Transforms/DialectConversion.h"
#include "pulptrain/Dialect/PulpTrain/IR/ModelAttributes.h"
#include "pulptrain/Dialect/PulpTrain/IR/PulpTrainOps.h"

#include <cmath>

using namespace mlir;
using namespace mlir::pulptrain;

namespace {

/// Scalar arithmetic in f32 inside a generic body.
struct Scalar {
  OpBuilder &b;
  Location loc;
  Value c(double v) {
    return arith::ConstantOp::create(b, loc, b.getF32FloatAttr(v));
  }
  Value add(Value x, Value y) { return arith::AddFOp::create(b, loc, x, y); }
  Value sub(Value x, Value y) { return arith::SubFOp::create(b, loc, x, y); }
  Value mul(Value x, Value y) { return arith::MulFOp::create(b, loc, x, y); }
  Value div(Value x, Value y) { return arith::DivFOp::create(b, loc, x, y); }
  Value gt0(Value x) {
    return arith::CmpFOp::create(b, loc, arith::CmpFPredicate::OGT, x, c(0));
  }
  Value cmp(arith::CmpFPredicate pred, Value x, double y) {
    return arith::CmpFOp::create(b, loc, pred, x, c(y));
  }
  Value both(Value p, Value q) { return arith::AndIOp::create(b, loc, p, q); }
  /// min(max(x, lo), hi), propagating NaN as torch.clamp.
  Value clamp(Value x, double lo, double hi) {
    Value m = arith::MaximumFOp::create(b, loc, x, c(lo));
    return arith::MinimumFOp::create(b, loc, m, c(hi));
  }
  Value select(Value cond, Value x, Value y) {
    return arith::SelectOp::create(b, loc, cond, x, y);
  }
};

// One element of each op, from f32 operands.
Value element(ReluOp, Scalar s, ValueRange in) {
  // maximumf propagates NaN, as torch.relu.
  return arith::MaximumFOp::create(s.b, s.loc, in[0], s.c(0));
}
Value element(ReluGradOp, Scalar s, ValueRange in) {
  return s.select(s.gt0(in[0]), in[1], s.c(0));
}
Value element(LeakyReluOp op, Scalar s, ValueRange in) {
  Value slope = s.c(op.getNegativeSlope().convertToDouble());
  return s.select(s.gt0(in[0]), in[0], s.mul(in[0], slope));
}
Value element(LeakyReluGradOp op, Scalar s, ValueRange in) {
  Value slope = s.c(op.getNegativeSlope().convertToDouble());
  return s.select(s.gt0(in[0]), in[1], s.mul(in[1], slope));
}
Value element(Relu6Op, Scalar s, ValueRange in) {
  return s.clamp(in[0], 0, 6);
}
Value element(Relu6GradOp, Scalar s, ValueRange in) {
  using P = arith::CmpFPredicate;
  Value inside = s.both(s.cmp(P::OGT, in[0], 0), s.cmp(P::OLT, in[0], 6));
  return s.select(inside, in[1], s.c(0));
}
// As PyTorch's CPU kernels: x * clamp(x + 3, 0, 6) / 6, and for the
// gradient x / 3 + 0.5 on [-3, 3).
Value element(HardswishOp, Scalar s, ValueRange in) {
  return s.div(s.mul(in[0], s.clamp(s.add(in[0], s.c(3)), 0, 6)), s.c(6));
}
Value element(HardswishGradOp, Scalar s, ValueRange in) {
  using P = arith::CmpFPredicate;
  Value slope = s.add(s.div(in[0], s.c(3)), s.c(0.5));
  Value inner = s.select(s.cmp(P::OLT, in[0], 3), s.mul(in[1], slope), in[1]);
  return s.select(s.cmp(P::OLT, in[0], -3), s.c(0), inner);
}
Value element(HardsigmoidOp, Scalar s, ValueRange in) {
  return s.div(s.clamp(s.add(in[0], s.c(3)), 0, 6), s.c(6));
}
Value element(HardsigmoidGradOp, Scalar s, ValueRange in) {
  using P = arith::CmpFPredicate;
  Value inside = s.both(s.cmp(P::OGT, in[0], -3), s.cmp(P::OLT, in[0], 3));
  return s.select(inside, s.mul(in[1], s.c(1.0 / 6.0)), s.c(0));
}
Value element(SigmoidOp, Scalar s, ValueRange in) {
  Value e = math::ExpOp::create(s.b, s.loc, arith::NegFOp::create(s.b, s.loc,
                                                                  in[0]));
  return s.div(s.c(1), s.add(s.c(1), e));
}
Value element(SigmoidGradOp, Scalar s, ValueRange in) {
  return s.mul(in[1], s.mul(in[0], s.sub(s.c(1), in[0])));
}
Value element(TanhOp, Scalar s, ValueRange in) {
  return math::TanhOp::create(s.b, s.loc, in[0]);
}
Value element(TanhGradOp, Scalar s, ValueRange in) {
  return s.mul(in[1], s.sub(s.c(1), s.mul(in[0], in[0])));
}
Value element(AddOp, Scalar s, ValueRange in) { return s.add(in[0], in[1]); }
Value element(CastOp, Scalar, ValueRange in) { return in[0]; }
Value element(MulScalarOp op, Scalar s, ValueRange in) {
  return s.mul(in[0], s.c(op.getScalar().convertToDouble()));
}
Value element(AddScalarOp op, Scalar s, ValueRange in) {
  return s.add(in[0], s.c(op.getScalar().convertToDouble()));
}

Value element(MseLossGradOp op, Scalar s, ValueRange in) {
  double n = cast<RankedTensorType>(op.getType()).getNumElements();
  return s.mul(s.sub(in[0], in[1]), s.c(2.0 / n));
}

/// Lowers an op computed element by element from same-shaped operands.
template <typename OpT>
struct ElementwiseLowering : OpConversionPattern<OpT> {
  using OpConversionPattern<OpT>::OpConversionPattern;

  LogicalResult
  matchAndRewrite(OpT op, typename OpT::Adaptor adaptor,
                  ConversionPatternRewriter &rewriter) const override {
    TensorBuilder tb(rewriter, op.getLoc());
    auto type = cast<RankedTensorType>(op->getResult(0).getType());
    Value result = tb.map(
        adaptor.getOperands(),
        [&](OpBuilder &b, Location loc, ValueRange in) {
          return element(op, Scalar{b, loc}, in);
        },
        type.getShape());
    rewriter.replaceOp(op, tb.castTo(result, type.getElementType()));
    return success();
  }
};

/// MurmurHash3's 32-bit finalizer on an i32 value.
static Value mix32(OpBuilder &b, Location loc, Value h) {
  auto c32 = [&](uint32_t v) -> Value {
    return arith::ConstantOp::create(
        b, loc, b.getIntegerAttr(b.getI32Type(), static_cast<int32_t>(v)));
  };
  auto xorShift = [&](Value v, uint32_t shift) -> Value {
    return arith::XOrIOp::create(b, loc, v,
                                 arith::ShRUIOp::create(b, loc, v, c32(shift)));
  };
  h = xorShift(h, 16);
  h = arith::MulIOp::create(b, loc, h, c32(0x85EBCA6Bu));
  h = xorShift(h, 13);
  h = arith::MulIOp::create(b, loc, h, c32(0xC2B2AE35u));
  return xorShift(h, 16);
}

static uint32_t mix32(uint32_t h) {
  h ^= h >> 16;
  h *= 0x85EBCA6Bu;
  h ^= h >> 13;
  h *= 0xC2B2AE35u;
  return h ^ (h >> 16);
}

/// Dropout and its gradient: the element times 1 / (1 - p) where the
/// counter-based draw of its row-major index keeps it, else 0 (see the op's
/// description; python/pulptrain/dropout.py is the same function). The
/// key of the mask, mix(seed * 0x85EBCA77 + sample * 0x27D4EB2F), is a
/// constant without a sample operand and otherwise computed once per op,
/// outside the element loop, and passed to it as a rank-0 tensor holding
/// the key's bits as f32 (the map's inputs are f32; the bits only move).
/// The per-element draw is 32-bit integer arithmetic on the index
/// (linalg.index), so no mask is stored and the gradient recomputes the
/// forward's.
template <typename OpT>
struct DropoutLowering : OpConversionPattern<OpT> {
  using OpConversionPattern<OpT>::OpConversionPattern;

  LogicalResult
  matchAndRewrite(OpT op, typename OpT::Adaptor adaptor,
                  ConversionPatternRewriter &rewriter) const override {
    Location loc = op.getLoc();
    TensorBuilder tb(rewriter, loc);
    auto type = cast<RankedTensorType>(op->getResult(0).getType());
    ArrayRef<int64_t> shape = type.getShape();
    double p = op.getP().convertToDouble();
    uint32_t seedTerm = static_cast<uint32_t>(op.getSeed()) * 0x85EBCA77u;
    // Kept when the draw is below (1 - p) * 2^32; p = 0 keeps everything.
    uint64_t threshold = static_cast<uint64_t>(
        std::llround((1.0 - p) * 4294967296.0));
    double scale = p < 1.0 ? 1.0 / (1.0 - p) : 0.0;
    if (p == 0.0) {
      rewriter.replaceOp(op, adaptor.getOperands().front());
      return success();
    }
    Type i32 = rewriter.getI32Type();
    auto c32 = [&](OpBuilder &b, uint32_t v) -> Value {
      return arith::ConstantOp::create(
          b, loc, b.getIntegerAttr(i32, static_cast<int32_t>(v)));
    };
    SmallVector<Value> inputs = {adaptor.getOperands().front()};
    if (Value sample = adaptor.getSample()) {
      // The key of this sample's mask, once per op.
      Value n = tensor::ExtractOp::create(rewriter, loc, sample, ValueRange{});
      Value term = arith::MulIOp::create(
          rewriter, loc, arith::FPToUIOp::create(rewriter, loc, i32, n),
          c32(rewriter, 0x27D4EB2Fu));
      Value key = mix32(rewriter, loc,
                        arith::AddIOp::create(rewriter, loc, term,
                                              c32(rewriter, seedTerm)));
      Value bits = arith::BitcastOp::create(rewriter, loc, tb.f32(), key);
      inputs.push_back(tensor::FromElementsOp::create(
          rewriter, loc, RankedTensorType::get({}, tb.f32()),
          ValueRange{bits}));
    }
    uint32_t constantKey = mix32(seedTerm);
    Value result = tb.map(
        inputs,
        [&](OpBuilder &b, Location loc, ValueRange in) -> Value {
          Scalar s{b, loc};
          // The row-major index of the element.
          Value index;
          for (auto [d, size] : llvm::enumerate(shape)) {
            Value i = linalg::IndexOp::create(b, loc, d);
            if (!index) {
              index = i;
              continue;
            }
            Value stride = arith::ConstantIndexOp::create(b, loc, size);
            index = arith::AddIOp::create(
                b, loc, arith::MulIOp::create(b, loc, index, stride), i);
          }
          if (!index) // a 0-d tensor: one element, index 0
            index = arith::ConstantIndexOp::create(b, loc, 0);
          Value key = in.size() > 1
                          ? arith::BitcastOp::create(b, loc, i32, in[1])
                                .getResult()
                          : c32(b, constantKey);
          Value h = arith::IndexCastUIOp::create(b, loc, i32, index);
          h = arith::MulIOp::create(b, loc, h, c32(b, 0x9E3779B1u));
          h = mix32(b, loc, arith::AddIOp::create(b, loc, h, key));
          Value keep =
              threshold >= (uint64_t(1) << 32)
                  ? arith::ConstantOp::create(b, loc, b.getBoolAttr(true))
                        .getResult()
                  : arith::CmpIOp::create(
                        b, loc, arith::CmpIPredicate::ult, h,
                        c32(b, static_cast<uint32_t>(threshold)))
                        .getResult();
          // As PyTorch: the input times a noise of 0 or 1 / (1 - p).
          return s.mul(in[0], s.select(keep, s.c(scale), s.c(0)));
        },
        shape);
    rewriter.replaceOp(op, tb.castTo(result, type.getElementType()));
    return success();
  }
};

/// torch.optim.SGD: g = grad + wd * param; buf' = momentum * buf + g;
/// param' = param - lr * (momentum ? (nesterov ? g + momentum * buf' : buf')
/// : g). One element-wise generic
/// (two results with momentum) computing in f32, so each element of the
/// parameter and its state is read and written once; it carries
/// attrs::kOptimizerUpdate for pulptrain-fuse-weight-update.
struct SgdUpdateLowering : OpConversionPattern<SgdUpdateOp> {
  using OpConversionPattern::OpConversionPattern;

  LogicalResult
  matchAndRewrite(SgdUpdateOp op, OpAdaptor adaptor,
                  ConversionPatternRewriter &rewriter) const override {
    Location loc = op.getLoc();
    auto type = cast<RankedTensorType>(op.getParam().getType());
    Type elemType = type.getElementType();
    double lr = op.getLr().convertToDouble();
    double wd = op.getWeightDecay().convertToDouble();
    double momentum = op.getMomentum().convertToDouble();
    ValueRange in = adaptor.getOperands();
    unsigned numResults = momentum == 0.0 ? 1 : 2;

    SmallVector<Value> inits;
    for (unsigned i = 0; i < numResults; ++i)
      inits.push_back(
          tensor::EmptyOp::create(rewriter, loc, type.getShape(), elemType));
    AffineMap identity = rewriter.getMultiDimIdentityMap(type.getRank());
    SmallVector<AffineMap> maps(in.size() + numResults, identity);
    auto generic = linalg::GenericOp::create(
        rewriter, loc, TypeRange(ValueRange(inits)), in, inits, maps,
        iteratorTypes(type.getRank(), type.getRank()),
        [&](OpBuilder &b, Location nloc, ValueRange args) {
          TensorBuilder tb(b, nloc);
          Scalar s{b, nloc};
          Value param = tb.extend(args[0]);
          Value step = tb.extend(args[1]);
          if (wd != 0.0)
            step = s.add(step, s.mul(s.c(wd), param));
          Value buffer = step;
          if (momentum != 0.0) {
            buffer = s.add(s.mul(s.c(momentum), tb.extend(args[2])), step);
            // PyTorch: d_p = d_p.add(buf, alpha=momentum) with Nesterov,
            // d_p = buf otherwise.
            step = op.getNesterov()
                       ? s.add(step, s.mul(s.c(momentum), buffer))
                       : buffer;
          }
          SmallVector<Value> results = {
              tb.truncate(s.sub(param, s.mul(s.c(lr), step)), elemType)};
          if (momentum != 0.0)
            results.push_back(tb.truncate(buffer, elemType));
          linalg::YieldOp::create(b, nloc, results);
        });
    generic->setAttr(attrs::kOptimizerUpdate, rewriter.getUnitAttr());
    rewriter.replaceOp(op, generic.getResults());
    return success();
  }
};

/// torch.optim.Adam (PyTorch 1.13's _single_tensor_adam, amsgrad off). The
/// bias corrections are scalars of the step number: computed once, in f64
/// as PyTorch's Python floats, and rounded to f32 (rank-0 tensors made by
/// tensor.from_elements, so pulptrain-fuse-weight-update cannot pull them
/// into the element loop). Then one element-wise generic in f32, with the
/// parameter first and the two moments last (the optimizer state), marked
/// attrs::kOptimizerUpdate like the SGD update:
///   g = grad + wd * param
///   m' = m * beta1 + (1 - beta1) * g
///   v' = v * beta2 + ((1 - beta2) * g) * g        (addcmul_)
///   param' = param + (-step_size) * (m' / (sqrt(v') / bc2_sqrt + eps))
struct AdamUpdateLowering : OpConversionPattern<AdamUpdateOp> {
  using OpConversionPattern::OpConversionPattern;

  LogicalResult
  matchAndRewrite(AdamUpdateOp op, OpAdaptor adaptor,
                  ConversionPatternRewriter &rewriter) const override {
    Location loc = op.getLoc();
    auto type = cast<RankedTensorType>(op.getParam().getType());
    Type elemType = type.getElementType();
    double lr = op.getLr().convertToDouble();
    double beta1 = op.getBeta1().convertToDouble();
    double beta2 = op.getBeta2().convertToDouble();
    double eps = op.getEps().convertToDouble();
    double wd = op.getWeightDecay().convertToDouble();

    // The scalars of step t, in f64: step_size = lr / (1 - beta1^t),
    // bc2_sqrt = sqrt(1 - beta2^t).
    Type f64 = rewriter.getF64Type();
    auto c64 = [&](double v) -> Value {
      return arith::ConstantOp::create(rewriter, loc,
                                       rewriter.getF64FloatAttr(v));
    };
    // beta1^t and beta2^t by binary exponentiation over the bits of the
    // integral t (exact in f32 up to 2^24): at most 2 log2(t) f64 products
    // each, a few ulp of f64, instead of two calls of pow (soft-float on
    // the cluster, about 7,000 cycles each from t = 3 on).
    Type i32 = rewriter.getI32Type();
    Value t = tensor::ExtractOp::create(rewriter, loc, adaptor.getStep(),
                                        ValueRange{});
    Value n = arith::FPToSIOp::create(rewriter, loc, i32, t);
    auto ci32 = [&](int32_t v) -> Value {
      return arith::ConstantOp::create(rewriter, loc,
                                       rewriter.getI32IntegerAttr(v));
    };
    SmallVector<Type> loopTypes = {i32, f64, f64, f64, f64};
    auto loop = scf::WhileOp::create(
        rewriter, loc, loopTypes,
        ValueRange{n, c64(beta1), c64(beta2), c64(1.0), c64(1.0)},
        [&](OpBuilder &b, Location l, ValueRange args) {
          Value more = arith::CmpIOp::create(b, l, arith::CmpIPredicate::sgt,
                                             args[0], ci32(0));
          scf::ConditionOp::create(b, l, more, args);
        },
        [&](OpBuilder &b, Location l, ValueRange args) {
          Value bit = arith::AndIOp::create(b, l, args[0], ci32(1));
          Value odd = arith::CmpIOp::create(b, l, arith::CmpIPredicate::ne,
                                            bit, ci32(0));
          SmallVector<Value> next = {
              arith::ShRUIOp::create(b, l, args[0], ci32(1))};
          for (unsigned k = 1; k <= 2; ++k)
            next.push_back(arith::MulFOp::create(b, l, args[k], args[k]));
          for (unsigned k = 1; k <= 2; ++k)
            next.push_back(arith::SelectOp::create(
                b, l, odd, arith::MulFOp::create(b, l, args[k + 2], args[k]),
                args[k + 2]));
          scf::YieldOp::create(b, l, next);
        });
    auto correction = [&](unsigned k) -> Value {
      return arith::SubFOp::create(rewriter, loc, c64(1.0),
                                   loop.getResult(k));
    };
    Value stepSize =
        arith::DivFOp::create(rewriter, loc, c64(lr), correction(3));
    Value bc2Sqrt = math::SqrtOp::create(rewriter, loc, correction(4));
    auto scalarTensor = [&](Value v) -> Value {
      Value f = arith::TruncFOp::create(rewriter, loc, rewriter.getF32Type(),
                                        v);
      return tensor::FromElementsOp::create(
          rewriter, loc, RankedTensorType::get({}, rewriter.getF32Type()),
          ValueRange{f});
    };
    Value negStepSize =
        scalarTensor(arith::NegFOp::create(rewriter, loc, stepSize));
    Value bc2SqrtTensor = scalarTensor(bc2Sqrt);

    SmallVector<Value> ins = {adaptor.getParam(), adaptor.getGrad(),
                              negStepSize, bc2SqrtTensor, adaptor.getExpAvg(),
                              adaptor.getExpAvgSq()};
    Type momentType =
        cast<RankedTensorType>(op.getExpAvg().getType()).getElementType();
    SmallVector<Value> inits = {
        tensor::EmptyOp::create(rewriter, loc, type.getShape(), elemType)};
    for (unsigned i = 0; i < 2; ++i)
      inits.push_back(
          tensor::EmptyOp::create(rewriter, loc, type.getShape(), momentType));
    unsigned rank = type.getRank();
    AffineMap identity = rewriter.getMultiDimIdentityMap(rank);
    AffineMap scalar = AffineMap::get(rank, 0, {}, rewriter.getContext());
    SmallVector<AffineMap> maps = {identity, identity, scalar, scalar,
                                   identity, identity, identity, identity,
                                   identity};
    auto generic = linalg::GenericOp::create(
        rewriter, loc, TypeRange(ValueRange(inits)), ins, inits, maps,
        iteratorTypes(rank, rank),
        [&](OpBuilder &b, Location nloc, ValueRange args) {
          TensorBuilder tb(b, nloc);
          Scalar s{b, nloc};
          Value param = tb.extend(args[0]);
          Value g = tb.extend(args[1]);
          if (wd != 0.0)
            g = s.add(g, s.mul(s.c(wd), param));
          Value m = s.add(s.mul(tb.extend(args[4]), s.c(beta1)),
                          s.mul(s.c(1.0 - beta1), g));
          Value v = s.add(s.mul(tb.extend(args[5]), s.c(beta2)),
                          s.mul(s.mul(s.c(1.0 - beta2), g), g));
          Value denom = s.add(
              s.div(math::SqrtOp::create(b, nloc, v), args[3]), s.c(eps));
          Value next = s.add(param, s.mul(args[2], s.div(m, denom)));
          linalg::YieldOp::create(b, nloc,
                                  ValueRange{tb.truncate(next, elemType),
                                             tb.truncate(m, momentType),
                                             tb.truncate(v, momentType)});
        });
    generic->setAttr(attrs::kOptimizerUpdate, rewriter.getUnitAttr());
    rewriter.replaceOp(op, generic.getResults());
    return success();
  }
};

/// The byte mask of relu (1 where the forward value is positive) and the
/// gradient from it: one element-wise generic each, on the mask's bytes
/// and the gradient's own element type (a select moves the value
/// unchanged, so no rounding is needed).
struct ReluMaskLowering : OpConversionPattern<ReluMaskOp> {
  using OpConversionPattern::OpConversionPattern;

  LogicalResult
  matchAndRewrite(ReluMaskOp op, OpAdaptor adaptor,
                  ConversionPatternRewriter &rewriter) const override {
    TensorBuilder tb(rewriter, op.getLoc());
    rewriter.replaceOp(
        op, tb.mapAs(op.getMask().getType(), adaptor.getForward(),
                     [](OpBuilder &b, Location l, ValueRange in) -> Value {
                       Scalar s{b, l};
                       Value positive =
                           s.gt0(TensorBuilder(b, l).extend(in[0]));
                       return arith::ExtUIOp::create(b, l, b.getI8Type(),
                                                     positive);
                     }));
    return success();
  }
};

struct ReluMaskGradLowering : OpConversionPattern<ReluMaskGradOp> {
  using OpConversionPattern::OpConversionPattern;

  LogicalResult
  matchAndRewrite(ReluMaskGradOp op, OpAdaptor adaptor,
                  ConversionPatternRewriter &rewriter) const override {
    TensorBuilder tb(rewriter, op.getLoc());
    rewriter.replaceOp(
        op, tb.mapAs(op.getGradInput().getType(),
                     {adaptor.getMask(), adaptor.getGradOutput()},
                     [](OpBuilder &b, Location l, ValueRange in) -> Value {
                       Value zeroMask = arith::ConstantOp::create(
                           b, l, b.getIntegerAttr(b.getI8Type(), 0));
                       Value kept = arith::CmpIOp::create(
                           b, l, arith::CmpIPredicate::ne, in[0], zeroMask);
                       Value zero = arith::ConstantOp::create(
                           b, l, b.getFloatAttr(in[1].getType(), 0.0));
                       return arith::SelectOp::create(b, l, kept, in[1],
                                                      zero);
                     }));
    return success();
  }
};

} // namespace

void mlir::pulptrain::populateElementwiseLoweringPatterns(
    RewritePatternSet &patterns) {
  patterns.add<ElementwiseLowering<ReluOp>, ElementwiseLowering<ReluGradOp>,
               ElementwiseLowering<LeakyReluOp>,
               ElementwiseLowering<LeakyReluGradOp>,
               ElementwiseLowering<SigmoidOp>,
               ElementwiseLowering<SigmoidGradOp>, ElementwiseLowering<TanhOp>,
               ElementwiseLowering<TanhGradOp>, ElementwiseLowering<AddOp>,
               ElementwiseLowering<CastOp>, ElementwiseLowering<MseLossGradOp>,
               ElementwiseLowering<Relu6Op>, ElementwiseLowering<Relu6GradOp>,
               ElementwiseLowering<HardswishOp>,
               ElementwiseLowering<HardswishGradOp>,
               ElementwiseLowering<HardsigmoidOp>,
               ElementwiseLowering<HardsigmoidGradOp>,
               ElementwiseLowering<MulScalarOp>,
               ElementwiseLowering<AddScalarOp>, DropoutLowering<DropoutOp>,
               DropoutLowering<DropoutGradOp>, SgdUpdateLowering,
               AdamUpdateLowering, ReluMaskLowering, ReluMaskGradLowering>(
      patterns.getContext());
}
