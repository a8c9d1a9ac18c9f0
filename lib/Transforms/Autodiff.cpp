//===- Autodiff.cpp - derive the training step of a forward model ---------===//
//
// Reverse-mode differentiation of a forward function of pulptrain ops into
// one SGD training step, with PULP-TrainLib's sparse-update rule. The
// gradient rules live with the ops (DifferentiableOpInterface); this pass
// walks the forward ops in reverse and serves the rules as their
// GradientBuilder.
//
//===----------------------------------------------------------------------===//

#include "mlir/Dialect/Func/IR/FuncOps.h"
#include "mlir/Dialect/Tensor/IR/Tensor.h"
#include "mlir/IR/Builders.h"
#include "mlir/IR/BuiltinAttributes.h"
#include "mlir/IR/IRMapping.h"
#include "mlir/IR/SymbolTable.h"
#include "pulptrain/Dialect/PulpTrain/IR/ModelAttributes.h"
#include "pulptrain/Dialect/PulpTrain/IR/PulpTrainDialect.h"
#include "pulptrain/Dialect/PulpTrain/IR/PulpTrainInterfaces.h"
#include "pulptrain/Dialect/PulpTrain/IR/PulpTrainOps.h"
#include "pulptrain/Transforms/Passes.h"
#include "llvm/ADT/DenseMap.h"
#include "llvm/ADT/DenseSet.h"
#include "llvm/ADT/StringSet.h"

#include <cmath>

namespace mlir::pulptrain {
#define GEN_PASS_DEF_AUTODIFF
#include "pulptrain/Transforms/Passes.h.inc"
} // namespace mlir::pulptrain

using namespace mlir;
using namespace mlir::pulptrain;

namespace {

/// The layer a parameter belongs to: its name up to the last dot.
StringRef getLayerOfParam(StringRef name) {
  size_t dot = name.rfind('.');
  return dot == StringRef::npos ? name : name.take_front(dot);
}

struct ParamInfo {
  unsigned argIndex;
  std::string name;
  bool trainable;
};

struct StepOptions {
  StringRef name;
  StringRef loss;
  double lr, momentum, weightDecay;
  ArrayRef<std::string> trainable;
  bool nesterov = false;
  /// "sgd" or "adam" (torch.optim.Adam, with beta1, beta2, eps).
  StringRef optimizer = "sgd";
  double beta1 = 0.9, beta2 = 0.999, eps = 1e-8;
  bool isAdam() const { return optimizer == "adam"; }
  /// State tensors per trainable parameter: the momentum buffer, or Adam's
  /// two moments.
  unsigned getStatePerParam() const {
    return isAdam() ? 2 : (momentum != 0.0 ? 1 : 0);
  }
};

/// The arguments of the forward function, sorted by role.
struct Signature {
  SmallVector<unsigned> inputs;
  std::optional<unsigned> label;
  SmallVector<ParamInfo> params;
  /// Buffers (pulptrain.buffer): state the forward pass updates.
  SmallVector<ParamInfo> buffers;
  RankedTensorType output;
  /// Samples per step (pulptrain.batch of the forward function); 0 for an
  /// unbatched step.
  int64_t batch = 0;
  /// Whether the forward pass has a pulptrain.dropout without a sample
  /// number: the step numbers its samples from a step counter, so that
  /// each draws a new mask.
  bool dropout = false;
};

/// Reads the mini-batch size (pulptrain.batch) of `forward`. A step over a
/// mini-batch accumulates the gradients sample by sample, which batch
/// statistics cannot be computed from.
LogicalResult classifyBatch(func::FuncOp forward, Signature &sig) {
  Attribute attr = forward->getAttr(attrs::kBatch);
  if (!attr)
    return success();
  auto batch = dyn_cast<IntegerAttr>(attr);
  if (!batch || batch.getInt() < 1)
    return forward.emitOpError("'")
           << attrs::kBatch << "' must be a positive integer, got " << attr;
  // The step holds the forward and backward pass once per sample.
  constexpr int64_t kMaxBatch = 256;
  if (batch.getInt() > kMaxBatch)
    return forward.emitOpError("'")
           << attrs::kBatch << "' is " << batch.getInt()
           << ", above the largest mini-batch of " << kMaxBatch
           << " samples (the step repeats the forward and backward pass "
              "for each)";
  if (batch.getInt() == 1)
    return success();
  sig.batch = batch.getInt();
  WalkResult walk = forward.walk([&](Operation *op) {
    if (!isa<BatchNormOp, BatchNormRunningStatsOp>(op))
      return WalkResult::advance();
    op->emitOpError("in training mode cannot take a mini-batch of ")
        << sig.batch
        << " samples: the step accumulates the gradients sample by "
           "sample, and the batch statistics need the whole batch";
    return WalkResult::interrupt();
  });
  return failure(walk.wasInterrupted());
}

FailureOr<Signature> classifyArguments(func::FuncOp forward,
                                       const StepOptions &options) {
  Signature sig;
  if (!llvm::hasSingleElement(forward.getBody()))
    return forward.emitOpError("must have a body of one block to be "
                               "differentiated");
  auto ret = cast<func::ReturnOp>(forward.getBody().front().getTerminator());
  if (ret.getNumOperands() != 1)
    return ret.emitOpError("of a forward model must return exactly one "
                           "tensor (the model output), got ")
           << ret.getNumOperands();
  sig.output = dyn_cast<RankedTensorType>(ret.getOperand(0).getType());
  if (!sig.output || !sig.output.hasStaticShape() ||
      !isa<FloatType>(sig.output.getElementType()))
    return ret.emitOpError("must return a statically shaped float tensor, "
                           "got ")
           << ret.getOperand(0).getType();

  for (auto [index, arg] : llvm::enumerate(forward.getArguments())) {
    auto type = dyn_cast<RankedTensorType>(arg.getType());
    if (!type || !type.hasStaticShape())
      return forward.emitOpError("argument #")
             << index << " must be a statically shaped tensor, got "
             << arg.getType();
    if (auto name =
            forward.getArgAttrOfType<StringAttr>(index, attrs::kParam)) {
      auto trainable =
          forward.getArgAttrOfType<BoolAttr>(index, attrs::kTrainable);
      sig.params.push_back({static_cast<unsigned>(index), name.str(),
                            !trainable || trainable.getValue()});
    } else if (auto name = forward.getArgAttrOfType<StringAttr>(
                   index, attrs::kBuffer)) {
      sig.buffers.push_back({static_cast<unsigned>(index), name.str(),
                             /*trainable=*/false});
    } else if (forward.getArgAttr(index, attrs::kLabel)) {
      if (sig.label)
        return forward.emitOpError("has two '")
               << attrs::kLabel << "' arguments: #" << *sig.label << " and #"
               << index;
      sig.label = index;
    } else {
      sig.inputs.push_back(index);
    }
  }

  // The trainable option overrides the attributes, layer by layer.
  if (!options.trainable.empty()) {
    llvm::StringSet<> layers;
    for (const ParamInfo &param : sig.params)
      layers.insert(getLayerOfParam(param.name));
    for (const std::string &layer : options.trainable) {
      if (!layers.contains(layer)) {
        std::string known;
        for (const ParamInfo &param : sig.params) {
          StringRef name = getLayerOfParam(param.name);
          if (known.find(("'" + name + "'").str()) == std::string::npos)
            known += (known.empty() ? "'" : ", '") + name.str() + "'";
        }
        return forward.emitOpError("has no parameters of the trainable "
                                   "layer '")
               << layer << "' (its layers: " << known << ")";
      }
    }
    for (ParamInfo &param : sig.params)
      param.trainable = llvm::is_contained(options.trainable,
                                           getLayerOfParam(param.name).str());
  }
  if (llvm::none_of(sig.params,
                    [](const ParamInfo &param) { return param.trainable; }))
    return forward.emitOpError("has no trainable parameter: nothing to "
                               "train");

  // The loss must fit the output.
  if (options.loss != "mse" && options.loss != "cross_entropy")
    return forward.emitOpError("cannot be trained with the unknown loss '")
           << options.loss << "' (expected 'mse' or 'cross_entropy')";
  if (options.loss == "cross_entropy" && sig.output.getRank() != 1)
    return ret.emitOpError("returns ")
           << sig.output
           << ", but the cross_entropy loss needs a rank-1 output (one score "
              "per class)";
  if (sig.label && forward.getArgument(*sig.label).getType() != sig.output)
    return forward.emitOpError("label argument #")
           << *sig.label << " has type "
           << forward.getArgument(*sig.label).getType()
           << ", which does not match the output type " << sig.output
           << " of the " << options.loss << " loss";
  if (!(options.lr > 0.0) || !std::isfinite(options.lr))
    return forward.emitOpError("needs a positive learning rate, got ")
           << options.lr;
  if (!(options.momentum >= 0.0) || !(options.weightDecay >= 0.0))
    return forward.emitOpError("needs a non-negative momentum and weight "
                               "decay");
  if (options.nesterov && options.momentum == 0.0)
    return forward.emitOpError("needs a non-zero momentum for Nesterov "
                               "momentum (nesterov=true)");
  if (options.optimizer != "sgd" && !options.isAdam())
    return forward.emitOpError("unknown optimizer '")
           << options.optimizer << "' (sgd or adam)";
  if (options.isAdam()) {
    // torch.optim.Adam's checks; momentum and Nesterov are SGD's.
    if (options.momentum != 0.0 || options.nesterov)
      return forward.emitOpError("optimizer adam takes no momentum or "
                                 "nesterov (they are SGD's)");
    if (!(options.beta1 >= 0.0 && options.beta1 < 1.0) ||
        !(options.beta2 >= 0.0 && options.beta2 < 1.0))
      return forward.emitOpError("needs Adam betas in [0, 1), got ")
             << options.beta1 << ", " << options.beta2;
    if (!(options.eps >= 0.0) || !std::isfinite(options.eps))
      return forward.emitOpError("needs a finite non-negative Adam eps, got ")
             << options.eps;
  }
  if (failed(classifyBatch(forward, sig)))
    return failure();
  sig.dropout = llvm::any_of(
      forward.getBody().front().getOps<DropoutOp>(),
      [](DropoutOp op) { return !op.getSample(); });
  return sig;
}

/// Builds the training step: clones the forward pass, appends the loss, the
/// backward pass and the updates. It creates every op of the loss, the
/// backward pass and the updates through `create` of GradientBuilder, in the
/// current layer and at the current location.
class StepBuilder : public GradientBuilder {
public:
  StepBuilder(func::FuncOp forward, const Signature &sig,
              const StepOptions &options)
      : forward(forward), sig(sig), options(options),
        builder(forward.getContext()), currentLoc(forward.getLoc()) {}

  FailureOr<func::FuncOp> build();

  // GradientBuilder.
  bool needsGradient(Value value) const override {
    return active.contains(value);
  }
  void accumulateGradient(Value value, Value grad) override;
  OpBuilder &getBuilder() override { return builder; }
  Location getLoc() const override { return currentLoc; }
  void setLayerAndPhase(Operation *op, Phase phase) override {
    op->setAttr(attrs::kLayer, currentLayer);
    op->setAttr(attrs::kPhase, builder.getStringAttr(getPhaseName(phase)));
  }

private:
  /// The step keeps a step counter (state `pulptrain.step`): Adam's
  /// `state['step']`, which the dropout masks use too.
  bool hasCounter() const { return options.isAdam() || sig.dropout; }
  StringRef getCounterName() const {
    return options.isAdam() ? "adam" : "dropout";
  }
  /// The number of sample `n` of this step for the dropout masks:
  /// counter * B + n for a mini-batch of B, else the counter.
  Value createSampleNumber(int64_t n);
  func::FuncOp createFunction();
  void mapArguments(func::FuncOp step);
  /// Clones the forward ops (for the sample the inputs are mapped to) into
  /// `cloned`.
  void cloneForward(SmallVectorImpl<Operation *> &cloned);
  /// Maps the inputs (and a label argument of the forward function) to
  /// sample `n` of the step's batched arguments; returns the label of it.
  Value mapSample(func::FuncOp step, int64_t n);
  /// A mini-batch step's type of a per-sample argument: [N, ...].
  Type batched(Type type) const;
  /// Sums the per-sample losses and parameter gradients and divides them by
  /// the batch size: PyTorch's mean loss over the batch.
  Value averageOverBatch(func::FuncOp step, ArrayRef<Value> losses);
  LogicalResult differentiate(Operation *op, ArrayRef<Value> resultGrads);
  LogicalResult appendNewBuffers(SmallVectorImpl<Value> &results);
  /// As torch.optim.SGD and Adam skip a parameter without a gradient, the
  /// step returns it unchanged; says so.
  void warnWithoutGradient(const ParamInfo &param) {
    forward.emitWarning("trainable parameter '")
        << param.name
        << "' does not affect the loss; the step returns it unchanged";
  }
  /// torch.optim.Adam: increments the step counter and appends one
  /// pulptrain.adam_update per trainable parameter; appends the new
  /// parameters, first moments, second moments and step counter.
  LogicalResult appendAdamUpdates(func::FuncOp step, unsigned labelIndex,
                                  SmallVectorImpl<Value> &results);

  func::FuncOp forward;
  const Signature &sig;
  const StepOptions &options;
  OpBuilder builder;
  IRMapping mapping;
  /// Values of the step that depend on a trainable parameter.
  DenseSet<Value> active;
  /// Gradient of the loss with respect to a value of the step.
  DenseMap<Value, Value> grads;
  /// The layer of the op being differentiated (attributed to its ops).
  StringAttr currentLayer;
  /// The location of the ops created next.
  Location currentLoc;
  /// The step counter argument (when hasCounter()), and the sample number
  /// the cloned dropouts draw their masks for.
  Value counter, sampleNumber;
  /// counter * B, shared by the samples of a mini-batch.
  Value firstSample;
};

void StepBuilder::accumulateGradient(Value value, Value grad) {
  auto [it, inserted] = grads.try_emplace(value, grad);
  if (inserted)
    return;
  // Over the samples of a mini-batch, a parameter's gradients add up in
  // its weight-gradient phase.
  Phase phase =
      sig.batch && isa<BlockArgument>(value) ? Phase::WgtGrad : Phase::InGrad;
  it->second = create<AddOp>(phase, it->second, grad).getResult();
}

func::FuncOp StepBuilder::createFunction() {
  MLIRContext *ctx = forward.getContext();
  SmallVector<Type> argTypes, resultTypes;
  SmallVector<DictionaryAttr> argAttrs, resultAttrs;
  auto addArg = [&](Type type, DictionaryAttr attrs) {
    argTypes.push_back(type);
    argAttrs.push_back(attrs ? attrs : DictionaryAttr::get(ctx));
  };
  auto named = [&](StringRef key, Attribute value) {
    return DictionaryAttr::get(ctx, {NamedAttribute(key, value)});
  };
  auto argType = [&](unsigned index) {
    return forward.getArgument(index).getType();
  };

  // Inputs keep their attributes; unnamed ones are named by position.
  for (unsigned index : sig.inputs) {
    DictionaryAttr attrs = forward.getArgAttrDict(index);
    if (!forward.getArgAttr(index, attrs::kInput)) {
      NamedAttrList list(attrs);
      list.set(attrs::kInput, StringAttr::get(ctx, "input" + Twine(index)));
      attrs = list.getDictionary(ctx);
    }
    addArg(batched(argType(index)), attrs);
  }
  addArg(batched(sig.output), sig.label
                                  ? forward.getArgAttrDict(*sig.label)
                                  : named(attrs::kLabel, UnitAttr::get(ctx)));
  for (const ParamInfo &param : sig.params)
    addArg(argType(param.argIndex),
           DictionaryAttr::get(
               ctx,
               {NamedAttribute(attrs::kParam, StringAttr::get(ctx, param.name)),
                NamedAttribute(attrs::kTrainable,
                               BoolAttr::get(ctx, param.trainable))}));
  // The optimizer state: one or two tensors per trainable parameter, then
  // Adam's step counter.
  SmallVector<StringRef, 2> stateKeys;
  if (options.isAdam())
    stateKeys = {attrs::kExpAvg, attrs::kExpAvgSq};
  else if (options.momentum != 0.0)
    stateKeys = {attrs::kMomentum};
  auto stepType = RankedTensorType::get({}, Float32Type::get(ctx));
  // Adam's moments are f32 in every element type (f16 would flush
  // (1 - beta2) * g^2 to zero for |g| below about 8e-3).
  auto stateType = [&](unsigned index) -> Type {
    if (!options.isAdam())
      return argType(index);
    return cast<RankedTensorType>(argType(index))
        .clone(Float32Type::get(ctx));
  };
  for (StringRef key : stateKeys)
    for (const ParamInfo &param : sig.params)
      if (param.trainable)
        addArg(stateType(param.argIndex),
               named(key, StringAttr::get(ctx, param.name)));
  if (hasCounter())
    addArg(stepType,
           named(attrs::kStep, StringAttr::get(ctx, getCounterName())));
  for (const ParamInfo &buffer : sig.buffers)
    addArg(argType(buffer.argIndex),
           named(attrs::kBuffer, StringAttr::get(ctx, buffer.name)));

  resultTypes.push_back(RankedTensorType::get({}, sig.output.getElementType()));
  resultAttrs.push_back(named(attrs::kLoss, UnitAttr::get(ctx)));
  SmallVector<StringRef, 3> resultKeys = {attrs::kParam};
  resultKeys.append(stateKeys.begin(), stateKeys.end());
  for (StringRef key : resultKeys)
    for (const ParamInfo &param : sig.params)
      if (param.trainable) {
        resultTypes.push_back(key == attrs::kParam ? argType(param.argIndex)
                                                   : stateType(param.argIndex));
        resultAttrs.push_back(named(key, StringAttr::get(ctx, param.name)));
      }
  if (hasCounter()) {
    resultTypes.push_back(stepType);
    resultAttrs.push_back(
        named(attrs::kStep, StringAttr::get(ctx, getCounterName())));
  }
  for (const ParamInfo &buffer : sig.buffers) {
    resultTypes.push_back(argType(buffer.argIndex));
    resultAttrs.push_back(
        named(attrs::kBuffer, StringAttr::get(ctx, buffer.name)));
  }

  builder.setInsertionPointAfter(forward);
  auto step =
      func::FuncOp::create(builder, forward.getLoc(), options.name,
                           builder.getFunctionType(argTypes, resultTypes));
  step.setAllArgAttrs(argAttrs);
  step.setAllResultAttrs(resultAttrs);
  step.addEntryBlock();
  return step;
}

Type StepBuilder::batched(Type type) const {
  if (!sig.batch)
    return type;
  auto ranked = cast<RankedTensorType>(type);
  SmallVector<int64_t> shape = {sig.batch};
  llvm::append_range(shape, ranked.getShape());
  return RankedTensorType::get(shape, ranked.getElementType());
}

Value StepBuilder::mapSample(func::FuncOp step, int64_t n) {
  MLIRContext *ctx = forward.getContext();
  auto slice = [&](Value batch, Type sampleType, StringRef layer) {
    auto type = cast<RankedTensorType>(sampleType);
    int64_t rank = type.getRank() + 1;
    SmallVector<OpFoldResult> offsets(rank, builder.getIndexAttr(0));
    offsets[0] = builder.getIndexAttr(n);
    SmallVector<OpFoldResult> sizes = {builder.getIndexAttr(1)};
    for (int64_t d : type.getShape())
      sizes.push_back(builder.getIndexAttr(d));
    SmallVector<OpFoldResult> strides(rank, builder.getIndexAttr(1));
    auto op = tensor::ExtractSliceOp::create(builder, batch.getLoc(), type,
                                             batch, offsets, sizes, strides);
    op->setAttr(attrs::kLayer, StringAttr::get(ctx, layer));
    op->setAttr(attrs::kPhase,
                StringAttr::get(ctx, getPhaseName(Phase::Forward)));
    return op.getResult();
  };
  unsigned next = 0;
  for (unsigned index : sig.inputs) {
    unsigned argIndex = next++;
    Value arg = step.getArgument(argIndex);
    StringRef name = "input";
    if (auto attr = step.getArgAttrOfType<StringAttr>(argIndex, attrs::kInput))
      name = attr.getValue();
    mapping.map(forward.getArgument(index),
                slice(arg, forward.getArgument(index).getType(), name));
  }
  Value label = slice(step.getArgument(next), sig.output, "loss");
  if (sig.label)
    mapping.map(forward.getArgument(*sig.label), label);
  return label;
}

Value StepBuilder::averageOverBatch(func::FuncOp step, ArrayRef<Value> losses) {
  MLIRContext *ctx = forward.getContext();
  if (!sig.batch)
    return losses.front();
  auto scale = builder.getNamedAttr(
      "scalar", builder.getF64FloatAttr(1.0 / double(sig.batch)));
  currentLayer = StringAttr::get(ctx, "loss");
  Value sum = losses.front();
  for (Value loss : losses.drop_front())
    sum = create<AddOp>(Phase::Loss, sum, loss).getResult();
  Value loss = create<MulScalarOp>(Phase::Loss, TypeRange{sum.getType()},
                                   ValueRange{sum}, ArrayRef{scale})
                   .getResult();
  unsigned first = sig.inputs.size() + 1;
  for (auto [index, param] : llvm::enumerate(sig.params)) {
    Value weight = step.getArgument(first + index);
    auto it = grads.find(weight);
    if (!param.trainable || it == grads.end())
      continue;
    currentLayer = StringAttr::get(ctx, getLayerOfParam(param.name));
    it->second =
        create<MulScalarOp>(Phase::WgtGrad, TypeRange{it->second.getType()},
                            ValueRange{it->second}, ArrayRef{scale})
            .getResult();
  }
  return loss;
}

void StepBuilder::mapArguments(func::FuncOp step) {
  // Step arguments in the order createFunction lays them out.
  unsigned next = 0;
  for (unsigned index : sig.inputs)
    mapping.map(forward.getArgument(index), step.getArgument(next++));
  Value label = step.getArgument(next++);
  if (sig.label)
    mapping.map(forward.getArgument(*sig.label), label);
  for (const ParamInfo &param : sig.params) {
    BlockArgument arg = step.getArgument(next++);
    mapping.map(forward.getArgument(param.argIndex), arg);
    if (param.trainable)
      active.insert(arg);
  }
  next += options.getStatePerParam() *
          llvm::count_if(sig.params,
                         [](const ParamInfo &param) { return param.trainable; });
  if (hasCounter())
    counter = step.getArgument(next++);
  for (const ParamInfo &buffer : sig.buffers)
    mapping.map(forward.getArgument(buffer.argIndex), step.getArgument(next++));
  builder.setInsertionPointToStart(&step.getBody().front());
}

void StepBuilder::cloneForward(SmallVectorImpl<Operation *> &cloned) {
  MLIRContext *ctx = forward.getContext();
  llvm::StringMap<unsigned> unnamed;
  for (Operation &op : forward.getBody().front().without_terminator()) {
    Operation *clone;
    auto drop = dyn_cast<DropoutOp>(op);
    if (drop && !drop.getSample() && sampleNumber) {
      // The mask of this sample of this step.
      clone = DropoutOp::create(builder, drop.getLoc(), drop.getType(),
                                mapping.lookup(drop.getInput()), sampleNumber,
                                drop.getPAttr(), drop.getSeedAttr());
      clone->setDiscardableAttrs(op.getDiscardableAttrDictionary());
      mapping.map(op.getResults(), clone->getResults());
    } else {
      clone = builder.clone(op, mapping);
    }
    cloned.push_back(clone);
    // Ops without a layer get a name made from their kind and position; a
    // reshape (flatten) belongs to the layer that produced its operand.
    if (!clone->getAttrOfType<StringAttr>(attrs::kLayer)) {
      StringAttr layer;
      if (isa<tensor::CollapseShapeOp, tensor::ExpandShapeOp>(clone))
        if (Operation *def = clone->getOperand(0).getDefiningOp())
          layer = def->getAttrOfType<StringAttr>(attrs::kLayer);
      if (!layer) {
        StringRef kind = clone->getName().stripDialect();
        layer = StringAttr::get(ctx, kind + "_" + Twine(unnamed[kind]++));
      }
      clone->setAttr(attrs::kLayer, layer);
    }
    clone->setAttr(attrs::kPhase,
                   StringAttr::get(ctx, getPhaseName(Phase::Forward)));
    if (llvm::any_of(clone->getOperands(),
                     [&](Value v) { return active.contains(v); }))
      active.insert(clone->result_begin(), clone->result_end());
  }
}

LogicalResult StepBuilder::differentiate(Operation *op,
                                         ArrayRef<Value> resultGrads) {
  auto differentiable = dyn_cast<DifferentiableOpInterface>(op);
  if (!differentiable)
    return op->emitOpError("has no gradient rule, but it lies on the path "
                           "from a trainable parameter to the loss");
  currentLayer = op->getAttrOfType<StringAttr>(attrs::kLayer);
  currentLoc = op->getLoc();
  return differentiable.buildGradient(*this, resultGrads);
}

/// The new value of each buffer: the result of the one
/// pulptrain.batch_norm_running_stats that updates it.
LogicalResult StepBuilder::appendNewBuffers(SmallVectorImpl<Value> &results) {
  for (const ParamInfo &buffer : sig.buffers) {
    Value arg = mapping.lookup(forward.getArgument(buffer.argIndex));
    Value updated;
    for (OpOperand &use : arg.getUses()) {
      auto stats = dyn_cast<BatchNormRunningStatsOp>(use.getOwner());
      if (!stats || updated || use.getOperandNumber() == 0)
        return forward.emitOpError("buffer '")
               << buffer.name
               << "' must be used once, as the running statistics of a "
                  "pulptrain.batch_norm_running_stats, which updates it";
      updated =
          use.getOperandNumber() == 1 ? stats.getNewMean() : stats.getNewVar();
    }
    if (!updated)
      return forward.emitOpError("buffer '")
             << buffer.name << "' is not updated by the forward pass";
    results.push_back(updated);
  }
  return success();
}

Value StepBuilder::createSampleNumber(int64_t n) {
  if (!sig.batch)
    return counter;
  // Exact in f32 while counter * B + n stays below 2^24.
  currentLayer = StringAttr::get(forward.getContext(), "dropout");
  currentLoc = counter.getLoc();
  if (!firstSample)
    firstSample =
        create<MulScalarOp>(Phase::Forward, counter.getType(), counter,
                            builder.getF64FloatAttr(double(sig.batch)))
            .getResult();
  if (n == 0)
    return firstSample;
  return create<AddScalarOp>(Phase::Forward, counter.getType(), firstSample,
                             builder.getF64FloatAttr(double(n)))
      .getResult();
}

FailureOr<func::FuncOp> StepBuilder::build() {
  MLIRContext *ctx = forward.getContext();
  func::FuncOp step = createFunction();
  mapArguments(step);

  auto ret = cast<func::ReturnOp>(forward.getBody().front().getTerminator());
  Location lossLoc = ret.getLoc();
  unsigned labelIndex = sig.inputs.size();
  Type lossType = RankedTensorType::get({}, sig.output.getElementType());
  // One sample, or each sample of the mini-batch in turn: the forward pass,
  // the loss and the backward pass; the parameter gradients add up.
  SmallVector<Value> losses;
  for (int64_t n = 0, e = std::max<int64_t>(sig.batch, 1); n < e; ++n) {
    Value label =
        sig.batch ? mapSample(step, n) : Value(step.getArgument(labelIndex));
    if (sig.dropout)
      sampleNumber = createSampleNumber(n);
    SmallVector<Operation *> forwardOps;
    cloneForward(forwardOps);
    Value output = mapping.lookup(ret.getOperand(0));
    if (!active.contains(output)) {
      step.erase();
      return forward.emitOpError("output does not depend on any trainable "
                                 "parameter");
    }

    // The loss and its gradient.
    currentLayer = StringAttr::get(ctx, "loss");
    currentLoc = lossLoc;
    Value loss;
    if (options.loss == "mse") {
      loss =
          create<MseLossOp>(Phase::Loss, lossType, output, label).getResult();
      grads[output] =
          create<MseLossGradOp>(Phase::Loss, sig.output, output, label)
              .getResult();
    } else {
      loss = create<CrossEntropyLossOp>(Phase::Loss, lossType, output, label)
                 .getResult();
      grads[output] =
          create<CrossEntropyLossGradOp>(Phase::Loss, sig.output, output, label)
              .getResult();
    }
    losses.push_back(loss);

    // The backward pass, over the forward ops in reverse.
    for (Operation *op : llvm::reverse(forwardOps)) {
      SmallVector<Value> resultGrads;
      bool any = false;
      for (Value result : op->getResults()) {
        resultGrads.push_back(grads.lookup(result));
        any |= static_cast<bool>(resultGrads.back());
      }
      if (!any)
        continue;
      if (failed(differentiate(op, resultGrads))) {
        step.erase();
        return failure();
      }
    }
  }
  Value loss = averageOverBatch(step, losses);

  // The updates, in parameter order.
  SmallVector<Value> results = {loss}, newMomentum;
  unsigned momentumIndex = labelIndex + 1 + sig.params.size();
  if (options.isAdam()) {
    if (failed(appendAdamUpdates(step, labelIndex, results))) {
      step.erase();
      return failure();
    }
  }
  bool withMomentum = options.momentum != 0.0;
  for (auto [index, param] : llvm::enumerate(sig.params)) {
    if (options.isAdam())
      break;
    if (!param.trainable)
      continue;
    Value weight = step.getArgument(labelIndex + 1 + index);
    Value momentum = withMomentum ? step.getArgument(momentumIndex++) : Value();
    Value grad = grads.lookup(weight);
    if (!grad) {
      warnWithoutGradient(param);
      results.push_back(weight);
      if (momentum)
        newMomentum.push_back(momentum);
      continue;
    }
    currentLayer = StringAttr::get(ctx, getLayerOfParam(param.name));
    currentLoc = weight.getLoc();
    SmallVector<Value> operands = {weight, grad};
    SmallVector<Type> types = {weight.getType()};
    if (momentum) {
      operands.push_back(momentum);
      types.push_back(momentum.getType());
    }
    SmallVector<NamedAttribute> attrs = {
        builder.getNamedAttr("lr", builder.getF64FloatAttr(options.lr)),
        builder.getNamedAttr("momentum",
                             builder.getF64FloatAttr(options.momentum)),
        builder.getNamedAttr("weight_decay",
                             builder.getF64FloatAttr(options.weightDecay))};
    if (options.nesterov)
      attrs.push_back(
          builder.getNamedAttr("nesterov", builder.getBoolAttr(true)));
    auto update = create<SgdUpdateOp>(Phase::Update, TypeRange(types),
                                      ValueRange(operands), attrs);
    results.push_back(update->getResult(0));
    if (momentum)
      newMomentum.push_back(update->getResult(1));
  }
  results.append(newMomentum);
  if (hasCounter() && !options.isAdam()) {
    // The count of steps taken, for the next step's dropout masks.
    currentLayer = StringAttr::get(ctx, getCounterName());
    currentLoc = counter.getLoc();
    results.push_back(create<AddScalarOp>(Phase::Update, counter.getType(),
                                          counter,
                                          builder.getF64FloatAttr(1.0))
                          .getResult());
  }
  if (failed(appendNewBuffers(results))) {
    step.erase();
    return failure();
  }
  func::ReturnOp::create(builder, ret.getLoc(), results);
  return step;
}

LogicalResult
StepBuilder::appendAdamUpdates(func::FuncOp step, unsigned labelIndex,
                               SmallVectorImpl<Value> &results) {
  MLIRContext *ctx = forward.getContext();
  unsigned numTrainable = llvm::count_if(
      sig.params, [](const ParamInfo &param) { return param.trainable; });
  unsigned firstState = labelIndex + 1 + sig.params.size();
  Value counter = step.getArgument(firstState + 2 * numTrainable);
  // As PyTorch's `step_t += 1` before the update: the updates see t >= 1.
  currentLayer = StringAttr::get(ctx, "adam");
  currentLoc = counter.getLoc();
  Value stepNumber =
      create<AddScalarOp>(Phase::Update, counter.getType(), counter,
                          builder.getF64FloatAttr(1.0))
          .getResult();
  SmallVector<Value> newParams, newAvg, newAvgSq;
  unsigned next = 0;
  for (auto [index, param] : llvm::enumerate(sig.params)) {
    if (!param.trainable)
      continue;
    Value weight = step.getArgument(labelIndex + 1 + index);
    Value avg = step.getArgument(firstState + next);
    Value avgSq = step.getArgument(firstState + numTrainable + next);
    ++next;
    Value grad = grads.lookup(weight);
    if (!grad) {
      warnWithoutGradient(param);
      newParams.push_back(weight);
      newAvg.push_back(avg);
      newAvgSq.push_back(avgSq);
      continue;
    }
    currentLayer = StringAttr::get(ctx, getLayerOfParam(param.name));
    currentLoc = weight.getLoc();
    Type type = weight.getType(), momentType = avg.getType();
    SmallVector<NamedAttribute> attrs = {
        builder.getNamedAttr("lr", builder.getF64FloatAttr(options.lr)),
        builder.getNamedAttr("beta1", builder.getF64FloatAttr(options.beta1)),
        builder.getNamedAttr("beta2", builder.getF64FloatAttr(options.beta2)),
        builder.getNamedAttr("eps", builder.getF64FloatAttr(options.eps)),
        builder.getNamedAttr("weight_decay",
                             builder.getF64FloatAttr(options.weightDecay))};
    auto update = create<AdamUpdateOp>(
        Phase::Update, TypeRange{type, momentType, momentType},
        ValueRange{weight, grad, avg, avgSq, stepNumber}, attrs);
    newParams.push_back(update->getResult(0));
    newAvg.push_back(update->getResult(1));
    newAvgSq.push_back(update->getResult(2));
  }
  results.append(newParams);
  results.append(newAvg);
  results.append(newAvgSq);
  results.push_back(stepNumber);
  return success();
}

struct AutodiffPass : pulptrain::impl::AutodiffBase<AutodiffPass> {
  using AutodiffBase::AutodiffBase;

  /// The gradient rules of the tensor reshapes are external models.
  void getDependentDialects(DialectRegistry &registry) const override {
    AutodiffBase::getDependentDialects(registry);
    registerDifferentiableOpInterfaceExternalModels(registry);
  }

  void runOnOperation() override {
    ModuleOp module = getOperation();
    auto fn = SymbolTable::lookupNearestSymbolFrom<func::FuncOp>(
        module, StringAttr::get(&getContext(), forward));
    if (!fn || fn.isExternal()) {
      module.emitError("no forward function @")
          << forward << " with a body to differentiate";
      return signalPassFailure();
    }
    if (SymbolTable::lookupSymbolIn(module, stepName)) {
      module.emitError("cannot create the training step @")
          << stepName << ": the symbol exists already";
      return signalPassFailure();
    }
    SmallVector<std::string> layers(trainable.begin(), trainable.end());
    StepOptions options{stepName, loss, lr, momentum, weightDecay, layers};
    options.nesterov = nesterov;
    options.optimizer = optimizer;
    options.beta1 = beta1;
    options.beta2 = beta2;
    options.eps = eps;
    FailureOr<Signature> sig = classifyArguments(fn, options);
    if (failed(sig))
      return signalPassFailure();
    StepBuilder builder(fn, *sig, options);
    if (failed(builder.build()))
      return signalPassFailure();
  }
};

} // namespace
