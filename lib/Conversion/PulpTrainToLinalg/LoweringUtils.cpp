//===- LoweringUtils.cpp - Helpers of the pulptrain to linalg lowering ----===//
//
// Tensor IR construction shared by the lowering patterns.
//
//===----------------------------------------------------------------------===//

#include "LoweringUtils.h"

#include "mlir/Dialect/Arith/IR/Arith.h"
#include "mlir/Dialect/Linalg/IR/Linalg.h"
#include "mlir/Dialect/Tensor/IR/Tensor.h"

#include <limits>

using namespace mlir;
using namespace mlir::pulptrain;

SmallVector<utils::IteratorType>
mlir::pulptrain::iteratorTypes(unsigned n, unsigned numParallel) {
  SmallVector<utils::IteratorType> iters(n, utils::IteratorType::reduction);
  for (unsigned i = 0; i < numParallel; ++i)
    iters[i] = utils::IteratorType::parallel;
  return iters;
}

Value TensorBuilder::constant(double value) {
  return arith::ConstantOp::create(b, loc, b.getF32FloatAttr(value));
}

Value TensorBuilder::filled(ArrayRef<int64_t> shape, double value,
                            Type elemType) {
  if (!elemType)
    elemType = f32();
  Value empty = tensor::EmptyOp::create(b, loc, shape, elemType);
  Value scalar = arith::ConstantOp::create(
      b, loc, b.getFloatAttr(elemType, value));
  return linalg::FillOp::create(b, loc, ValueRange{scalar}, ValueRange{empty})
      .getResult(0);
}

Value TensorBuilder::extend(Value scalar) {
  if (scalar.getType() == f32())
    return scalar;
  return arith::ExtFOp::create(b, loc, f32(), scalar);
}

Value TensorBuilder::truncate(Value scalar, Type elemType) {
  if (elemType == f32())
    return scalar;
  return arith::TruncFOp::create(b, loc, elemType, scalar);
}

Value TensorBuilder::generic(Value init, ValueRange inputs,
                             ArrayRef<AffineMap> inputMaps,
                             AffineMap outputMap,
                             ArrayRef<utils::IteratorType> iterators,
                             BodyFn body) {
  SmallVector<AffineMap> maps(inputMaps);
  maps.push_back(outputMap);
  auto op = linalg::GenericOp::create(
      b, loc, TypeRange{init.getType()}, inputs, ValueRange{init}, maps,
      iterators,
      [&](OpBuilder &nb, Location nloc, ValueRange args) {
        TensorBuilder inner(nb, nloc);
        SmallVector<Value> ins;
        for (Value arg : args.drop_back())
          ins.push_back(inner.extend(arg));
        Value result = body(nb, nloc, ins, args.back());
        linalg::YieldOp::create(nb, nloc, result);
      });
  return op.getResult(0);
}

Value TensorBuilder::map(ValueRange inputs, MapFn fn,
                         ArrayRef<int64_t> shape) {
  unsigned rank = shape.size();
  AffineMap identity = b.getMultiDimIdentityMap(rank);
  SmallVector<AffineMap> maps;
  for (Value in : inputs)
    maps.push_back(shapeOf(in).empty() ? affineMap(rank, {}) : identity);
  Value init = tensor::EmptyOp::create(b, loc, shape, f32());
  return generic(init, inputs, maps, identity, iteratorTypes(rank, rank),
                 [&](OpBuilder &nb, Location nloc, ValueRange ins, Value) {
                   return fn(nb, nloc, ins);
                 });
}

Value TensorBuilder::mapAs(RankedTensorType type, ValueRange inputs,
                           MapFn fn) {
  unsigned rank = type.getRank();
  SmallVector<AffineMap> maps(inputs.size() + 1,
                              b.getMultiDimIdentityMap(rank));
  Value init = tensor::EmptyOp::create(b, loc, type.getShape(),
                                       type.getElementType());
  return linalg::GenericOp::create(
             b, loc, TypeRange{type}, inputs, ValueRange{init}, maps,
             iteratorTypes(rank, rank),
             [&](OpBuilder &nb, Location nloc, ValueRange args) {
               linalg::YieldOp::create(nb, nloc,
                                       fn(nb, nloc, args.drop_back()));
             })
      .getResult(0);
}

Value TensorBuilder::reduce(ValueRange inputs, ArrayRef<int64_t> keep,
                            MapFn fn, bool maximum) {
  ArrayRef<int64_t> shape = shapeOf(inputs.front());
  unsigned rank = shape.size();
  // Loops: the kept dimensions first (parallel), then the reduced ones.
  SmallVector<int64_t> order(keep);
  for (unsigned d = 0; d < rank; ++d)
    if (!llvm::is_contained(keep, d))
      order.push_back(d);
  SmallVector<AffineExpr> inputExprs(rank);
  for (auto [loop, d] : llvm::enumerate(order))
    inputExprs[d] = dim(loop);
  AffineMap inputMap = affineMap(rank, inputExprs);
  SmallVector<AffineExpr> outExprs;
  SmallVector<int64_t> outShape;
  for (auto [i, d] : llvm::enumerate(keep)) {
    outExprs.push_back(dim(i));
    outShape.push_back(shape[d]);
  }
  double init = maximum ? -std::numeric_limits<double>::infinity() : 0.0;
  SmallVector<AffineMap> maps(inputs.size(), inputMap);
  return generic(filled(outShape, init), inputs, maps,
                 affineMap(rank, outExprs),
                 iteratorTypes(rank, keep.size()),
                 [&](OpBuilder &nb, Location nloc, ValueRange ins, Value acc) {
                   Value v = fn ? fn(nb, nloc, ins) : ins.front();
                   if (maximum)
                     return arith::MaximumFOp::create(nb, nloc, acc, v)
                         .getResult();
                   return arith::AddFOp::create(nb, nloc, acc, v).getResult();
                 });
}

Value TensorBuilder::castTo(Value f32Tensor, Type elemType) {
  if (elemType == f32())
    return f32Tensor;
  ArrayRef<int64_t> shape = shapeOf(f32Tensor);
  unsigned rank = shape.size();
  AffineMap identity = b.getMultiDimIdentityMap(rank);
  Value init = tensor::EmptyOp::create(b, loc, shape, elemType);
  auto op = linalg::GenericOp::create(
      b, loc, TypeRange{init.getType()}, ValueRange{f32Tensor},
      ValueRange{init}, ArrayRef<AffineMap>{identity, identity},
      iteratorTypes(rank, rank),
      [&](OpBuilder &nb, Location nloc, ValueRange args) {
        Value r = arith::TruncFOp::create(nb, nloc, elemType, args[0]);
        linalg::YieldOp::create(nb, nloc, r);
      });
  return op.getResult(0);
}

Value TensorBuilder::embed(Value src, ArrayRef<int64_t> shape,
                           ArrayRef<int64_t> offsets,
                           ArrayRef<int64_t> strides, double fill) {
  Value dest = filled(shape, fill, elementTypeOf(src));
  SmallVector<OpFoldResult> offs, sizes, strs;
  for (auto [o, s, st] : llvm::zip(offsets, shapeOf(src), strides)) {
    offs.push_back(b.getIndexAttr(o));
    sizes.push_back(b.getIndexAttr(s));
    strs.push_back(b.getIndexAttr(st));
  }
  return tensor::InsertSliceOp::create(b, loc, src, dest, offs, sizes, strs);
}

Value TensorBuilder::slice(Value src, ArrayRef<int64_t> offsets,
                           ArrayRef<int64_t> sizes) {
  SmallVector<OpFoldResult> offs, szs, strs;
  for (auto [o, s] : llvm::zip(offsets, sizes)) {
    offs.push_back(b.getIndexAttr(o));
    szs.push_back(b.getIndexAttr(s));
    strs.push_back(b.getIndexAttr(1));
  }
  auto type = RankedTensorType::get(sizes, elementTypeOf(src));
  return tensor::ExtractSliceOp::create(b, loc, type, src, offs, szs, strs);
}

Value TensorBuilder::expand(Value src, ArrayRef<int64_t> shape,
                            ArrayRef<ReassociationIndices> reassociation) {
  auto type = RankedTensorType::get(shape, elementTypeOf(src));
  return tensor::ExpandShapeOp::create(b, loc, type, src, reassociation);
}

Value TensorBuilder::collapse(Value src,
                              ArrayRef<ReassociationIndices> reassociation) {
  return tensor::CollapseShapeOp::create(b, loc, src, reassociation);
}

Value TensorBuilder::transpose(Value src, ArrayRef<int64_t> perm) {
  ArrayRef<int64_t> shape = shapeOf(src);
  SmallVector<int64_t> outShape;
  for (int64_t p : perm)
    outShape.push_back(shape[p]);
  Value init = tensor::EmptyOp::create(b, loc, outShape, elementTypeOf(src));
  return linalg::TransposeOp::create(b, loc, src, init, perm).getResult()[0];
}

Value TensorBuilder::toCHW(Value featureMap, Layout layout) {
  if (layout == Layout::CHW)
    return featureMap;
  return transpose(featureMap, {2, 0, 1});
}

Value TensorBuilder::fromCHW(Value featureMap, Layout layout) {
  if (layout == Layout::CHW)
    return featureMap;
  return transpose(featureMap, {1, 2, 0});
}

Value mlir::pulptrain::weightToCHW(TensorBuilder &tb, Value weight,
                                   Layout layout) {
  return layout == Layout::HWC ? tb.transpose(weight, {0, 3, 1, 2}) : weight;
}

Value mlir::pulptrain::weightFromCHW(TensorBuilder &tb, Value weight,
                                     Layout layout) {
  return layout == Layout::HWC ? tb.transpose(weight, {0, 2, 3, 1}) : weight;
}

Value mlir::pulptrain::paddedGroupedInput(TensorBuilder &tb, Value chw,
                                          const ConvGeometry &g) {
  Value padded =
      g.isPadded()
          ? tb.embed(chw, {g.channels, g.paddedHeight(), g.paddedWidth()},
                     {0, g.padTop, g.padLeft}, {1, 1, 1}, 0.0)
          : chw;
  return tb.expand(padded,
                   {g.groups, g.inPerGroup(), g.paddedHeight(), g.paddedWidth()},
                   {{0, 1}, {2}, {3}});
}

Value mlir::pulptrain::groupedWeight(TensorBuilder &tb, Value weight,
                                     const ConvGeometry &g) {
  return tb.expand(weight,
                   {g.groups, g.outPerGroup(), g.inPerGroup(), g.kernelHeight,
                    g.kernelWidth},
                   {{0, 1}, {2}, {3}, {4}});
}

Value mlir::pulptrain::convolutionInit(TensorBuilder &tb, Value bias,
                                       ArrayRef<int64_t> shape) {
  Value init = tb.filled(shape, 0.0);
  if (!bias)
    return init;
  Value grouped = tb.expand(bias, {shape[0], shape[1]}, {{0, 1}});
  unsigned rank = shape.size();
  SmallVector<AffineExpr> all;
  for (unsigned i = 0; i < rank; ++i)
    all.push_back(tb.dim(i));
  return tb.generic(init, {grouped}, {tb.affineMap(rank, {tb.dim(0), tb.dim(1)})},
                    tb.affineMap(rank, all), iteratorTypes(rank, rank),
                    [](OpBuilder &, Location, ValueRange in, Value) {
                      return in[0];
                    });
}

Value mlir::pulptrain::gather(TensorBuilder &tb, Value src, ArrayRef<int64_t> shape,
             AffineMap map) {
  OpBuilder &b = tb.builder();
  Location loc = tb.location();
  Value empty = tensor::EmptyOp::create(b, loc, shape, elementTypeOf(src));
  AffineMap identity = b.getMultiDimIdentityMap(shape.size());
  return linalg::GenericOp::create(
             b, loc, empty.getType(), ValueRange{src}, ValueRange{empty},
             ArrayRef<AffineMap>{map, identity},
             iteratorTypes(shape.size(), shape.size()),
             [](OpBuilder &nb, Location nloc, ValueRange args) {
               linalg::YieldOp::create(nb, nloc, args[0]);
             })
      .getResult(0);
}

int64_t mlir::pulptrain::getChunkSize(int64_t extent, int64_t unitBytes,
                                      int64_t budget) {
  if (budget <= 0)
    return extent;
  for (int64_t size = extent; size >= 1; --size)
    if (extent % size == 0 && size * unitBytes <= budget)
      return size;
  return 0;
}

Value mlir::pulptrain::multiplyAccumulate(OpBuilder &b, Location loc,
                                          ValueRange in, Value acc) {
  Value product = arith::MulFOp::create(b, loc, in[0], in[1]);
  return arith::AddFOp::create(b, loc, acc, product);
}
