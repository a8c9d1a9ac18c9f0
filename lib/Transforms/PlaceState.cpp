//===- PlaceState.cpp - the training state in buffers of its own ----------===//
//
// Gives the state of a bufferized training step @f (its parameters and
// optimizer buffers, the arguments with `pulptrain.param` or
// `pulptrain.momentum`) static buffers of its own, resident in L1 where a
// budget allows and the cost model says it pays, and splits @f into the
// state API of docs/TrainStep.md:
//
//   @f_init(state...)      copies the state in (from the caller's L2 buffers)
//   @f_run(other args...)  one training step on the state, updated in place
//   @f_read(new state...)  copies the updated state out
//   @f(all args...)        the pure step as before: init, run, read
//
// Upstream MLIR has no notion of state that outlives a call (bufferization
// ends at the function boundary, and ml_program globals do not carry a
// placement), and the placement is PULP's: what lives in the cluster's L1
// across steps is never moved by the DMA, hence this pass of our own.
//
//===----------------------------------------------------------------------===//

#include "mlir/Dialect/Func/IR/FuncOps.h"
#include "mlir/Dialect/Linalg/IR/Linalg.h"
#include "mlir/Dialect/MemRef/IR/MemRef.h"
#include "mlir/IR/Builders.h"
#include "mlir/IR/BuiltinAttributes.h"
#include "mlir/IR/SymbolTable.h"
#include "mlir/Interfaces/SideEffectInterfaces.h"
#include "pulptrain/Analysis/BufferAliasAnalysis.h"
#include "pulptrain/Dialect/Cluster/IR/ClusterOps.h"
#include "pulptrain/Dialect/PulpTrain/IR/ModelAttributes.h"
#include "pulptrain/Dialect/PulpTrain/IR/PulpTrainDialect.h"
#include "pulptrain/Transforms/Passes.h"

#include "Utils.h"
#include "llvm/ADT/BitVector.h"
#include "llvm/ADT/SetVector.h"
#include "llvm/ADT/StringExtras.h"
#include "llvm/Support/MathExtras.h"

namespace mlir::pulptrain {
#define GEN_PASS_DEF_PLACESTATE
#include "pulptrain/Transforms/Passes.h.inc"
} // namespace mlir::pulptrain

using namespace mlir;
using namespace mlir::pulptrain;

namespace {

/// Alignment of every state buffer, as the arena's.
constexpr int64_t kAlignment = 16;

/// One buffer of the state: a parameter or an optimizer buffer, its
/// argument and, when the step updates it, the out-parameter of its new
/// value.
struct State {
  /// "fc.weight", or "fc.weight (momentum)".
  std::string name;
  unsigned input;
  std::optional<unsigned> output;
  MemRefType type;
  int64_t bytes = 0;
  /// Ops of the body that read or write it (each moves it through the DMA
  /// when it is in L2).
  int64_t uses = 0;
  /// The update may write the buffer the old value is read from: no read of
  /// the old value follows the first write of the new one (or the one op
  /// doing both is element-wise).
  bool inPlace = true;
  /// Its values can all take the memory space of L1.
  bool typable = false;
  bool inL1 = false;
  /// Values derived from the argument and the out-parameter that take the
  /// memory space of the buffer.
  SmallVector<Value> inputViews, outputViews;
  memref::GlobalOp global;
  /// The buffer of the new value when it is not updated in place (in L2).
  memref::GlobalOp next;
};

/// The state name and key of argument `index`, or nullopt.
std::optional<std::string> getStateName(func::FuncOp func, unsigned index) {
  DictionaryAttr attrs = func.getArgAttrDict(index);
  if (!attrs)
    return std::nullopt;
  if (auto name = attrs.getAs<StringAttr>(attrs::kParam))
    return name.str();
  if (auto name = attrs.getAs<StringAttr>(attrs::kMomentum))
    return name.str() + " (momentum)";
  if (auto name = attrs.getAs<StringAttr>(attrs::kExpAvg))
    return name.str() + " (exp_avg)";
  if (auto name = attrs.getAs<StringAttr>(attrs::kExpAvgSq))
    return name.str() + " (exp_avg_sq)";
  if (auto name = attrs.getAs<StringAttr>(attrs::kStep))
    return name.str() + " (step)";
  if (auto name = attrs.getAs<StringAttr>(attrs::kBuffer))
    return name.str() + " (buffer)";
  return std::nullopt;
}

/// A symbol stem for `name`: other characters than letters and digits
/// become '_'.
std::string getSymbolStem(StringRef name) {
  std::string out;
  for (char c : name)
    out.push_back(llvm::isAlnum(c) ? c : '_');
  return out;
}

/// The symbol of the static buffer of `state` in function `funcName`.
std::string getStateSymbol(StringRef funcName, const State &state) {
  return (attrs::kStateSymbol + getSymbolStem(funcName) + "_" +
          getSymbolStem(state.name))
      .str();
}

/// Whether `op` reads `input` and writes `output` element by element with
/// the same indexing, and touches them in no other way: then the new value
/// of an element may overwrite its old value.
bool isElementwiseUpdate(Operation *op, Value input, Value output,
                         const BufferAliasAnalysis &aliases) {
  auto linalgOp = dyn_cast<linalg::LinalgOp>(op);
  if (!linalgOp || !linalgOp.hasPureBufferSemantics() ||
      linalgOp.getNumLoops() != linalgOp.getNumParallelLoops())
    return false;
  OpOperand *init = nullptr;
  SmallVector<OpOperand *> reads;
  for (OpOperand &operand : op->getOpOperands()) {
    Value value = operand.get();
    if (!isa<BaseMemRefType>(value.getType()))
      continue;
    if (!aliases.mayAlias(value, input) && !aliases.mayAlias(value, output))
      continue;
    if (linalgOp.isDpsInit(&operand)) {
      if (value != output || init)
        return false;
      init = &operand;
    } else if (value == input) {
      reads.push_back(&operand);
    } else {
      return false;
    }
  }
  if (!init)
    return false;
  // Each element of the output written once, from its own old value.
  AffineMap map = linalgOp.getMatchingIndexingMap(init);
  if (!map.isPermutation())
    return false;
  return llvm::all_of(reads, [&](OpOperand *read) {
    return linalgOp.getMatchingIndexingMap(read) == map;
  });
}

/// Whether `op` writes `buffer` (or memory it shares) with an effect on a
/// known value.
bool writes(Operation *op, Value buffer, const BufferAliasAnalysis &aliases) {
  bool found = false;
  op->walk([&](MemoryEffectOpInterface effects) {
    SmallVector<MemoryEffects::EffectInstance> instances;
    effects.getEffects(instances);
    for (const MemoryEffects::EffectInstance &effect : instances)
      found |= isa<MemoryEffects::Write>(effect.getEffect()) &&
               effect.getValue() &&
               aliases.mayAlias(effect.getValue(), buffer);
  });
  return found;
}

/// The loss of @f_run, an out-parameter that several ops of the step write
/// (its initial value, its sum, its mean), is computed in a temporary,
/// which the arena places (in L1 when the arena is), and copied out once
/// at the end: each op would otherwise move it between L2 and L1 on its
/// own. (An out-parameter's initial content is not the step's to read, so
/// the temporary needs no copy in.)
void stageLoss(func::FuncOp run) {
  Block &entry = run.front();
  BufferAliasAnalysis aliases(run);
  SmallVector<BlockArgument> staged;
  for (BlockArgument arg : entry.getArguments()) {
    auto type = dyn_cast<MemRefType>(arg.getType());
    if (!run.getArgAttr(arg.getArgNumber(), attrs::kLoss) || !type ||
        !type.getLayout().isIdentity() || type.getMemorySpace() ||
        !type.hasStaticShape())
      continue;
    BufferLifetime life = aliases.getLifetime(arg, entry);
    if (life.escapes || life.isUnused())
      continue;
    int64_t writers = 0;
    for (Operation &op : entry)
      writers += writes(&op, arg, aliases);
    if (writers >= 2)
      staged.push_back(arg);
  }
  for (BlockArgument arg : staged) {
    OpBuilder b = OpBuilder::atBlockBegin(&entry);
    Value temporary =
        memref::AllocOp::create(b, run.getLoc(), cast<MemRefType>(arg.getType()));
    arg.replaceAllUsesWith(temporary);
    // A scalar is one store of the core that runs the step.
    OpBuilder atEnd(entry.getTerminator());
    if (cast<MemRefType>(arg.getType()).getRank() == 0)
      memref::StoreOp::create(
          atEnd, run.getLoc(),
          memref::LoadOp::create(atEnd, run.getLoc(), temporary), arg);
    else
      linalg::CopyOp::create(atEnd, run.getLoc(), temporary, arg);
  }
}

struct PlaceStatePass : pulptrain::impl::PlaceStateBase<PlaceStatePass> {
  using PlaceStateBase::PlaceStateBase;

  void runOnOperation() override;

private:
  /// The state of `func`, analysed; empty when `func` updates no state.
  FailureOr<SmallVector<State>> analyze(func::FuncOp func);
  /// Chooses the buffers resident in L1 within `budget` bytes; returns the
  /// bytes taken.
  int64_t chooseL1(MutableArrayRef<State> states, int64_t budget);
  void rewrite(func::FuncOp func, MutableArrayRef<State> states,
               SymbolTable &symbols);
};

FailureOr<SmallVector<State>> PlaceStatePass::analyze(func::FuncOp func) {
  SmallVector<State> states;
  llvm::StringMap<unsigned> byName;
  for (unsigned i = 0, e = func.getNumArguments(); i < e; ++i) {
    std::optional<std::string> name = getStateName(func, i);
    if (!name)
      continue;
    auto type = dyn_cast<MemRefType>(func.getArgument(i).getType());
    std::optional<int64_t> bytes =
        type && type.getLayout().isIdentity() ? getStaticByteSize(type)
                                              : std::nullopt;
    if (!bytes)
      return func.emitOpError("state argument #")
             << i << " ('" << *name
             << "') is not a static memref with the identity layout";
    auto [it, inserted] = byName.try_emplace(*name, states.size());
    if (inserted) {
      State state;
      state.name = *name;
      state.input = i;
      state.type = type;
      state.bytes = *bytes;
      states.push_back(std::move(state));
      continue;
    }
    State &state = states[it->second];
    if (state.output || state.type != type)
      return func.emitOpError("argument #")
             << i << " repeats the state '" << *name
             << "' (an updated value takes the type of its argument, once)";
    state.output = i;
  }
  if (llvm::none_of(states, [](const State &s) { return s.output; }))
    return SmallVector<State>();

  Block &block = func.getBody().front();
  BufferAliasAnalysis aliases(func);
  DenseMap<Operation *, int64_t> position;
  for (auto [index, op] : llvm::enumerate(block))
    position[&op] = index;
  for (State &state : states) {
    Value input = func.getArgument(state.input);
    Value output = state.output ? func.getArgument(*state.output) : Value();
    // The ops of the body that touch it.
    llvm::SmallPtrSet<Operation *, 16> users;
    for (Value root : {input, output}) {
      if (!root)
        continue;
      for (Value view : aliases.getViews(root))
        for (Operation *user : view.getUsers())
          if (Operation *top = block.findAncestorOpInBlock(*user))
            if (!isa<ViewLikeOpInterface>(top))
              users.insert(top);
    }
    state.uses = users.size();
    // In place: the old value is not read once the new one is written.
    if (output) {
      BufferLifetime reads = aliases.getLifetime(input, block);
      BufferLifetime writes = aliases.getLifetime(output, block);
      if (reads.escapes || writes.escapes)
        state.inPlace = false;
      else if (!reads.isUnused() && !writes.isUnused()) {
        int64_t lastRead = position.lookup(reads.last);
        int64_t firstWrite = position.lookup(writes.first);
        state.inPlace =
            lastRead < firstWrite ||
            (lastRead == firstWrite &&
             isElementwiseUpdate(reads.last, input, output, aliases));
      }
    }
    // Its values can live in L1 when each can change type with it.
    DenseSet<Value> placed = {input};
    if (output)
      placed.insert(output);
    FailureOr<SmallVector<Value>> inputViews =
        getTypedViews(aliases, input, placed);
    FailureOr<SmallVector<Value>> outputViews =
        output ? getTypedViews(aliases, output, placed)
               : FailureOr<SmallVector<Value>>(SmallVector<Value>());
    state.typable = succeeded(inputViews) && succeeded(outputViews);
    if (state.typable) {
      state.inputViews = std::move(*inputViews);
      state.outputViews = std::move(*outputViews);
    }
  }
  return states;
}

int64_t PlaceStatePass::chooseL1(MutableArrayRef<State> states,
                                 int64_t budget) {
  // The DMA cycles a buffer in L1 saves per step grow with its bytes times
  // the ops that would move it (plus its copy in and out across steps);
  // its cost is its bytes of L1. Densest saving first, then the smaller.
  SmallVector<State *> order;
  for (State &state : states)
    if (state.typable)
      order.push_back(&state);
  auto savingPerByte = [](const State *s) {
    return s->uses + (s->output ? 2 : 1);
  };
  llvm::stable_sort(order, [&](const State *a, const State *b) {
    if (savingPerByte(a) != savingPerByte(b))
      return savingPerByte(a) > savingPerByte(b);
    return a->bytes < b->bytes;
  });
  int64_t used = 0;
  for (State *state : order) {
    int64_t bytes = llvm::alignTo(state->bytes, kAlignment);
    if (used + bytes > budget)
      continue;
    state->inL1 = true;
    used += bytes;
  }
  return used;
}

void PlaceStatePass::rewrite(func::FuncOp func, MutableArrayRef<State> states,
                             SymbolTable &symbols) {
  MLIRContext *ctx = &getContext();
  Location loc = func.getLoc();
  StringRef funcName = func.getSymName();
  OpBuilder builder(ctx);

  // The buffers of the state.
  builder.setInsertionPoint(func);
  for (State &state : states) {
    Type type = state.inL1 ? getTypeInMemory(state.type, Memory::L1)
                           : BaseMemRefType(state.type);
    // Private and uninitialised, or (external-state) a declaration the
    // program linking the step defines with the initial values.
    state.global = memref::GlobalOp::create(
        builder, loc, getStateSymbol(funcName, state),
        externalState ? StringAttr() : builder.getStringAttr("private"),
        cast<MemRefType>(type),
        externalState ? Attribute() : builder.getUnitAttr(),
        /*constant=*/false, builder.getI64IntegerAttr(kAlignment));
    symbols.insert(state.global);
    if (!state.output || state.inPlace)
      continue;
    state.next = memref::GlobalOp::create(
        builder, loc, (state.global.getSymName() + "_next").str(),
        builder.getStringAttr("private"), state.type, builder.getUnitAttr(),
        /*constant=*/false, builder.getI64IntegerAttr(kAlignment));
    symbols.insert(state.next);
  }

  // Which arguments go where.
  unsigned numArgs = func.getNumArguments();
  llvm::BitVector isState(numArgs);
  SmallVector<unsigned> initArgs, readArgs;
  for (State &state : states) {
    isState.set(state.input);
    initArgs.push_back(state.input);
    if (state.output) {
      isState.set(*state.output);
      readArgs.push_back(*state.output);
    }
  }
  llvm::sort(initArgs);
  llvm::sort(readArgs);
  SmallVector<unsigned> runArgs;
  for (unsigned i = 0; i < numArgs; ++i)
    if (!isState.test(i))
      runArgs.push_back(i);

  auto makeFunc = [&](StringRef suffix, ArrayRef<unsigned> args) {
    SmallVector<Type> types;
    SmallVector<DictionaryAttr> argAttrs;
    for (unsigned i : args) {
      types.push_back(func.getArgument(i).getType());
      argAttrs.push_back(func.getArgAttrDict(i)
                             ? func.getArgAttrDict(i)
                             : DictionaryAttr::get(ctx));
    }
    auto fn = func::FuncOp::create(loc, (funcName + suffix).str(),
                                   FunctionType::get(ctx, types, {}));
    fn.setAllArgAttrs(argAttrs);
    symbols.insert(fn, std::next(Block::iterator(func)));
    return fn;
  };

  // A copy between a state buffer and a caller's buffer: by DMA for L1, by
  // the cores (a linalg.copy) within L2.
  auto copy = [&](OpBuilder &b, Value from, Value to, bool dma) {
    if (dma)
      cluster::DmaStartOp::create(b, loc, from, to);
    else
      linalg::CopyOp::create(b, loc, from, to);
  };
  auto getGlobal = [&](OpBuilder &b, State &state) -> Value {
    return memref::GetGlobalOp::create(b, loc, state.global.getType(),
                                       state.global.getSymName());
  };

  // @f_init and @f_read (none when the program defines the state).
  func::FuncOp initFn, readFn;
  SmallVector<std::pair<func::FuncOp, bool>> copyFns;
  if (!externalState) {
    initFn = makeFunc(attrs::kStateInitSuffix, initArgs);
    readFn = makeFunc(attrs::kStateReadSuffix, readArgs);
    copyFns = {{initFn, false}, {readFn, true}};
  }
  for (auto [fn, reading] : copyFns) {
    OpBuilder b = OpBuilder::atBlockBegin(fn.addEntryBlock());
    bool anyDma = false;
    for (State &state : states) {
      if (reading && !state.output)
        continue;
      ArrayRef<unsigned> order = reading ? readArgs : initArgs;
      unsigned index = reading ? *state.output : state.input;
      Value arg = fn.getArgument(llvm::find(order, index) - order.begin());
      Value global = getGlobal(b, state);
      if (reading)
        copy(b, global, arg, state.inL1);
      else
        copy(b, arg, global, state.inL1);
      anyDma |= state.inL1;
    }
    if (anyDma)
      cluster::DmaWaitOp::create(b, loc, ValueRange());
    func::ReturnOp::create(b, loc);
  }

  // @f_run: the body on the state buffers.
  func::FuncOp runFn = makeFunc(attrs::kStateRunSuffix, runArgs);
  runFn.getBody().takeBody(func.getBody());
  Block &entry = runFn.front();
  OpBuilder b = OpBuilder::atBlockBegin(&entry);
  Operation *terminator = entry.getTerminator();
  for (State &state : states) {
    Value global = getGlobal(b, state);
    if (state.inL1) {
      for (Value view : state.inputViews)
        view.setType(getTypeInMemory(cast<BaseMemRefType>(view.getType()),
                                     Memory::L1));
      if (state.inPlace)
        for (Value view : state.outputViews)
          view.setType(getTypeInMemory(cast<BaseMemRefType>(view.getType()),
                                       Memory::L1));
    }
    entry.getArgument(state.input).replaceAllUsesWith(global);
    if (!state.output)
      continue;
    Value output = entry.getArgument(*state.output);
    if (state.inPlace) {
      output.replaceAllUsesWith(global);
      continue;
    }
    // The new value in a buffer of its own in L2 (as the caller's
    // out-parameter was), copied over the old one once the step no longer
    // reads it.
    Value temporary = memref::GetGlobalOp::create(
        b, loc, state.next.getType(), state.next.getSymName());
    output.replaceAllUsesWith(temporary);
    OpBuilder atEnd(terminator);
    linalg::CopyOp::create(atEnd, loc, temporary, global);
  }
  entry.eraseArguments(isState);
  stageLoss(runFn);

  // The program that defines the state runs the step on it: no @f, whose
  // state arguments would have nowhere to go.
  if (externalState) {
    symbols.erase(func);
    return;
  }

  // @f: init, run, read.
  OpBuilder fb = OpBuilder::atBlockBegin(func.addEntryBlock());
  auto forward = [&](func::FuncOp callee, ArrayRef<unsigned> args) {
    SmallVector<Value> operands;
    for (unsigned i : args)
      operands.push_back(func.getArgument(i));
    func::CallOp::create(fb, loc, callee, operands);
  };
  forward(initFn, initArgs);
  forward(runFn, runArgs);
  forward(readFn, readArgs);
  func::ReturnOp::create(fb, loc);
}

void PlaceStatePass::runOnOperation() {
  ModuleOp module = getOperation();
  Builder builder(&getContext());
  SymbolTable symbols(module);
  SmallVector<NamedAttribute> plan;
  int64_t budget = l1Size;
  for (auto func : llvm::to_vector(module.getOps<func::FuncOp>())) {
    if (func.isExternal() || func.getNumResults() != 0)
      continue;
    FailureOr<SmallVector<State>> states = analyze(func);
    if (failed(states))
      return signalPassFailure();
    if (states->empty())
      continue;
    budget -= chooseL1(*states, budget);
    std::string funcName = func.getSymName().str();
    rewrite(func, *states, symbols);
    SmallVector<Attribute> entries;
    for (State &state : *states)
      entries.push_back(builder.getDictionaryAttr({
          builder.getNamedAttr("name", builder.getStringAttr(state.name)),
          builder.getNamedAttr(
              "symbol", builder.getStringAttr(state.global.getSymName())),
          builder.getNamedAttr("argument",
                               builder.getI64IntegerAttr(state.input)),
          builder.getNamedAttr("bytes", builder.getI64IntegerAttr(state.bytes)),
          builder.getNamedAttr("memory",
                               builder.getStringAttr(state.inL1 ? "L1" : "L2")),
          builder.getNamedAttr("uses", builder.getI64IntegerAttr(state.uses)),
          builder.getNamedAttr(
              "in_place", builder.getBoolAttr(!state.output || state.inPlace)),
      }));
    plan.push_back(
        builder.getNamedAttr(funcName, builder.getArrayAttr(entries)));
    numFunctions++;
    for (State &state : *states)
      (state.inL1 ? numL1 : numL2)++;
  }
  if (!plan.empty())
    module->setAttr(attrs::kStatePlan, builder.getDictionaryAttr(plan));
}

} // namespace
