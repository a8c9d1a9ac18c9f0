//===- Harness.cpp - pulptrain-run: data and the C harness ----------------===//
//
// Reads golden data, fills every buffer of the training step (golden data,
// @init_params or a seeded generator) and writes the C program that runs
// the steps on the cluster and prints what the report needs.
//
//===----------------------------------------------------------------------===//

#include "Driver.h"

#include "mlir/IR/BuiltinTypes.h"
#include "pulptrain/Dialect/PulpTrain/IR/ModelAttributes.h"
#include "llvm/ADT/APFloat.h"
#include "llvm/ADT/StringExtras.h"
#include "llvm/Support/Format.h"
#include "llvm/Support/raw_ostream.h"

#include <cmath>

using namespace mlir;
using namespace mlir::pulptrain;
using namespace mlir::pulptrain::run;

//===----------------------------------------------------------------------===//
// Golden data
//===----------------------------------------------------------------------===//

namespace {

/// Reads a JSON array of numbers.
bool readNumbers(const llvm::json::Value *value, std::vector<double> &out) {
  const llvm::json::Array *array = value ? value->getAsArray() : nullptr;
  if (!array)
    return false;
  out.clear();
  out.reserve(array->size());
  for (const llvm::json::Value &v : *array) {
    std::optional<double> d = v.getAsNumber();
    if (!d)
      return false;
    out.push_back(*d);
  }
  return true;
}

/// Reads a JSON array of arrays of numbers (one per step).
bool readSamples(const llvm::json::Value *value,
                 std::vector<std::vector<double>> &out) {
  const llvm::json::Array *array = value ? value->getAsArray() : nullptr;
  if (!array)
    return false;
  out.clear();
  for (const llvm::json::Value &v : *array) {
    out.emplace_back();
    if (!readNumbers(&v, out.back()))
      return false;
  }
  return true;
}

} // namespace

bool mlir::pulptrain::run::parseGolden(StringRef text, StringRef source,
                                       Golden &out) {
  llvm::Expected<llvm::json::Value> doc = llvm::json::parse(text);
  if (!doc)
    return fail("golden data '" + source +
                "' is not JSON: " + llvm::toString(doc.takeError()));
  const llvm::json::Object *root = doc->getAsObject();
  auto bad = [&](const llvm::Twine &what) {
    return fail("golden data '" + source + "': " + what);
  };
  if (!root || root->getString("format") != "pulptrain-golden-1")
    return bad("missing \"format\": \"pulptrain-golden-1\"");
  out.model = root->getString("model").value_or("").str();
  out.dtype = root->getString("dtype").value_or("").str();
  out.mlir = root->getString("mlir").value_or("").str();
  if (std::optional<StringRef> loss = root->getString("loss")) {
    TrainingSetup setup;
    setup.loss = loss->str();
    setup.lr = root->getNumber("lr").value_or(setup.lr);
    setup.momentum = root->getNumber("momentum").value_or(0.0);
    setup.weightDecay = root->getNumber("weight_decay").value_or(0.0);
    setup.nesterov = root->getBoolean("nesterov").value_or(false);
    setup.optimizer = root->getString("optimizer").value_or("sgd").str();
    if (const llvm::json::Array *betas = root->getArray("betas");
        betas && betas->size() == 2) {
      setup.beta1 = (*betas)[0].getAsNumber().value_or(setup.beta1);
      setup.beta2 = (*betas)[1].getAsNumber().value_or(setup.beta2);
    }
    setup.eps = root->getNumber("eps").value_or(setup.eps);
    setup.savedActivations =
        root->getString("saved_activations").value_or("model").str();
    if (!llvm::is_contained({"model", "f16", "bf16"},
                            StringRef(setup.savedActivations)))
      return bad("\"saved_activations\" is '" + setup.savedActivations +
                 "', expected model, f16 or bf16");
    if (const llvm::json::Array *t = root->getArray("trainable"))
      for (const llvm::json::Value &v : *t)
        if (std::optional<StringRef> s = v.getAsString())
          setup.trainable.push_back(s->str());
    out.setup = setup;
  }
  if (const llvm::json::Object *inputs = root->getObject("inputs")) {
    for (const auto &[name, value] : *inputs)
      if (!readSamples(&value, out.inputs[name.str()]))
        return bad("\"inputs\"." + name.str() +
                   " is not a list of samples (lists of numbers)");
  }
  if (root->get("labels") && !readSamples(root->get("labels"), out.labels))
    return bad("\"labels\" is not a list of samples (lists of numbers)");
  if (root->get("losses") && !readNumbers(root->get("losses"), out.losses))
    return bad("\"losses\" is not a list of numbers");
  if (root->get("loss_scales") &&
      !readNumbers(root->get("loss_scales"), out.lossScales))
    return bad("\"loss_scales\" is not a list of numbers");
  out.lossTolerance = root->getNumber("loss_tolerance");
  return true;
}

//===----------------------------------------------------------------------===//
// Data of a run
//===----------------------------------------------------------------------===//

namespace {

/// SplitMix64: a small, well-mixed, seedable generator.
struct Random {
  uint64_t state;
  explicit Random(uint64_t seed) : state(seed) {}
  uint64_t next() {
    uint64_t z = (state += 0x9E3779B97F4A7C15ull);
    z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9ull;
    z = (z ^ (z >> 27)) * 0x94D049BB133111EBull;
    return z ^ (z >> 31);
  }
  /// Uniform in [-1, 1), 24 random bits.
  double uniform() {
    return double(int64_t(next() >> 40) - (1 << 23)) / (1 << 23);
  }
};

std::vector<double> randomValues(const CParam &param, Random &random,
                                 double scale) {
  std::vector<double> values(param.numElements);
  for (double &v : values)
    v = scale * random.uniform();
  return values;
}

} // namespace

bool mlir::pulptrain::run::prepareData(const CompiledStep &step,
                                       const Golden *golden,
                                       const Options &options, RunData &data) {
  bool usedGolden = false, usedInit = false, usedRandom = false;
  unsigned paramIndex = 0;
  for (auto [index, param] : llvm::enumerate(step.params)) {
    if (param.isResult)
      continue;
    // Different streams per buffer, fixed by the seed and the position.
    Random random(options.seed * 0x100000001B3ull + index + 1);
    std::vector<std::vector<double>> &values = data.values[index];
    switch (param.role) {
    case CParamRole::Input:
    case CParamRole::Label: {
      const std::vector<std::vector<double>> *samples = nullptr;
      if (golden) {
        if (param.role == CParamRole::Label) {
          samples = &golden->labels;
        } else {
          auto it = golden->inputs.find(param.tensorName);
          if (it != golden->inputs.end())
            samples = &it->second;
        }
      }
      if (samples && !samples->empty()) {
        if (samples->size() < options.steps)
          return fail("the golden data has " + llvm::Twine(samples->size()) +
                      " samples of '" + param.name +
                      "', fewer than --steps=" + llvm::Twine(options.steps));
        for (unsigned s = 0; s < options.steps; ++s) {
          if ((*samples)[s].size() != size_t(param.numElements))
            return fail(
                "golden sample " + llvm::Twine(s) + " of '" + param.name +
                "' has " + llvm::Twine((*samples)[s].size()) +
                " values, the step takes " + llvm::Twine(param.numElements));
          values.push_back((*samples)[s]);
        }
        usedGolden = true;
      } else {
        for (unsigned s = 0; s < options.steps; ++s)
          values.push_back(randomValues(param, random, 1.0));
        usedRandom = true;
      }
      break;
    }
    case CParamRole::Buffer:
      // Running statistics have no default: @init_params gives them.
      if (paramIndex >= step.initParams.size())
        return fail("buffer '" + param.tensorName +
                    "' has no initial value (@init_params returns it after "
                    "the parameters)");
      values.push_back(step.initParams[paramIndex++]);
      usedInit = true;
      break;
    case CParamRole::Param: {
      if (paramIndex < step.initParams.size()) {
        values.push_back(step.initParams[paramIndex]);
        usedInit = true;
      } else {
        // PyTorch's default bound for weights; vectors (biases) start at 0.
        auto shaped = cast<ShapedType>(param.type);
        double scale = 0.0;
        if (shaped.getRank() >= 2)
          scale =
              1.0 / std::sqrt(double(param.numElements / shaped.getDimSize(0)));
        values.push_back(randomValues(param, random, scale));
        usedRandom = true;
      }
      ++paramIndex;
      break;
    }
    case CParamRole::Momentum:
    case CParamRole::ExpAvg:
    case CParamRole::ExpAvgSq:
    case CParamRole::Step:
    case CParamRole::Loss:
    case CParamRole::Other:
      values.push_back(std::vector<double>(param.numElements, 0.0));
      break;
    }
  }
  SmallVector<std::string> origin;
  if (usedInit)
    origin.push_back("parameters from @init_params");
  if (usedGolden)
    origin.push_back("samples from " + golden->origin);
  if (usedRandom)
    origin.push_back(
        "seeded random values (--seed=" + std::to_string(options.seed) + ")");
  data.origin = llvm::join(origin, ", ");
  return true;
}

//===----------------------------------------------------------------------===//
// The harness
//===----------------------------------------------------------------------===//

namespace {

const llvm::fltSemantics &getSemantics(StringRef dtype) {
  if (dtype == "f16")
    return APFloat::IEEEhalf();
  if (dtype == "bf16")
    return APFloat::BFloat();
  return APFloat::IEEEsingle();
}

/// The bit pattern of `value` rounded to the element type.
uint32_t toBits(double value, const llvm::fltSemantics &semantics) {
  APFloat f(value);
  bool lost;
  f.convert(semantics, APFloat::rmNearestTiesToEven, &lost);
  return uint32_t(f.bitcastToAPInt().getZExtValue());
}

class HarnessWriter {
public:
  HarnessWriter(const CompiledStep &step, const RunData &data,
                const Options &options, llvm::raw_ostream &os)
      : step(step), data(data), options(options), os(os),
        semantics(getSemantics(step.dtype)), wide(step.dtype == "f32"),
        stateApi(getStateInterface(step.params)) {}

  void write(StringRef headerName);

private:
  /// `{0x..., ...}` of `values`.
  void writeValues(const std::vector<double> &values, unsigned indent);
  /// A union of the bit pattern and the C element type: one buffer, or
  /// `rows` of them (rows > 0).
  void writeBufferType(const CParam &param, StringRef typeName, unsigned rows);
  /// Name of the buffer holding argument `param` in the current (or next)
  /// step.
  std::string argumentExpr(const CParam &param);
  std::string resultExpr(const CParam &param);
  /// The argument a result feeds in the next step, if any.
  std::optional<unsigned> getFedArgument(const CParam &result) const;
  /// A call of `name` with the buffers of `params`.
  void writeCall(StringRef name, ArrayRef<CParam> params, unsigned indent);
  /// Whether the harness defines the step's state buffers with their
  /// initial values (and calls neither the state's init nor its read).
  bool definesState() const {
    return stateApi && step.externalState &&
           llvm::all_of(stateApi->init, [&](const CParam &param) {
             return step.findStateBuffer(param) != nullptr;
           });
  }

  const CompiledStep &step;
  const RunData &data;
  const Options &options;
  llvm::raw_ostream &os;
  const llvm::fltSemantics &semantics;
  bool wide;
  /// The step's state API, when it has one: the harness drives it.
  std::optional<CStateInterface> stateApi;
};

void HarnessWriter::writeCall(StringRef name, ArrayRef<CParam> params,
                              unsigned indent) {
  std::string pad(indent, ' ');
  os << pad << name << "(";
  for (auto [index, param] : llvm::enumerate(params))
    os << (index ? ",\n" + pad + "    " : "")
       << (param.isResult ? resultExpr(param) : argumentExpr(param));
  os << ");\n";
}

void HarnessWriter::writeValues(const std::vector<double> &values,
                                unsigned indent) {
  os << "{";
  for (size_t i = 0; i < values.size(); ++i) {
    if (i)
      os << ",";
    if (i % 8 == 0)
      os << "\n" << std::string(indent + 2, ' ');
    else
      os << " ";
    os << llvm::format(wide ? "0x%08x" : "0x%04x",
                       toBits(values[i], semantics));
  }
  os << "\n" << std::string(indent, ' ') << "}";
}

void HarnessWriter::writeBufferType(const CParam &param, StringRef typeName,
                                    unsigned rows) {
  std::string dims = rows ? "[" + std::to_string(rows) + "]" : "";
  os << "typedef union {\n  bits_t bits" << dims << "[" << param.numElements
     << "];\n  " << param.cType << " v" << dims << "[" << param.numElements
     << "];\n} " << typeName << ";\n";
}

std::optional<unsigned>
HarnessWriter::getFedArgument(const CParam &result) const {
  if (!isStateRole(result.role))
    return std::nullopt;
  for (auto [index, param] : llvm::enumerate(step.params))
    if (!param.isResult && param.role == result.role &&
        param.tensorName == result.tensorName && param.type == result.type)
      return index;
  return std::nullopt;
}

std::string HarnessWriter::argumentExpr(const CParam &param) {
  switch (param.role) {
  case CParamRole::Input:
  case CParamRole::Label:
    return param.name + "_data.v[step]";
  case CParamRole::Param:
  case CParamRole::Momentum:
  case CParamRole::ExpAvg:
  case CParamRole::ExpAvgSq:
  case CParamRole::Step:
  case CParamRole::Buffer:
    return param.name + (stateApi ? "_p[0]" : "_p[cur]");
  default:
    return param.name + "_buf.v";
  }
}

std::string HarnessWriter::resultExpr(const CParam &param) {
  if (std::optional<unsigned> fed = getFedArgument(param))
    return step.params[*fed].name + (stateApi ? "_p[0]" : "_p[nxt]");
  return param.name + "_buf.v";
}

void HarnessWriter::write(StringRef headerName) {
  unsigned numRegions = step.regions.size();
  os << "/* Generated by pulptrain-run: " << options.steps
     << " training steps of @" << step.funcName << " (" << step.dtype
     << ") with per-region\n   performance counters. Data: " << data.origin
     << ". */\n\n";
  os << "#include \"" << headerName << "\"\n\n"
     << "#include <pulptrain/platform.h>\n#include <pulptrain/prof.h>\n"
     << "#include <pulptrain_rt.h>\n"
     << "#include <stddef.h>\n#include <stdint.h>\n#include <stdio.h>\n\n";
  os << "#define STEPS " << options.steps << "u\n";
  os << "/* Regions of the instrumented step; one more for the whole step. */\n"
     << "#define NUM_REGIONS " << numRegions << "u\n";
  os << "typedef " << (wide ? "uint32_t" : "uint16_t") << " bits_t;\n\n";

  // Buffers.
  for (auto [index, param] : llvm::enumerate(step.params)) {
    std::string type = param.name + "_t";
    os << "/* " << (param.isResult ? "out: " : "in: ") << param.name << " */\n";
    if (!param.isResult &&
        (param.role == CParamRole::Input || param.role == CParamRole::Label)) {
      const std::vector<std::vector<double>> &samples = data.values.at(index);
      writeBufferType(param, type, options.steps);
      os << "static " << type << " " << param.name
         << "_data __attribute__((aligned(8))) = {.bits = {";
      for (const std::vector<double> &sample : samples) {
        writeValues(sample, 2);
        os << ",";
      }
      os << "\n}};\n\n";
      continue;
    }
    if (!param.isResult && isStateRole(param.role) && definesState() &&
        step.findStateBuffer(param)) {
      // The step's own state buffer, defined here with its initial value
      // in the memory the plan gives it (the loader fills .l1_data; crt0
      // clears .l1_bss): the only copy of it in the program.
      const CompiledStep::StateBuffer *buffer = step.findStateBuffer(param);
      writeBufferType(param, type, 0);
      const std::vector<double> &init = data.values.at(index).front();
      bool zero = llvm::all_of(init, [](double v) { return v == 0.0; });
      os << type << " " << buffer->symbol << " __attribute__((aligned(16)";
      if (buffer->inL1)
        os << ", section(\"" << (zero ? ".l1_bss" : ".l1_data") << "\")";
      // In L3 the loader fills .l3 (the simulator's memories start at zero:
      // nothing need clear .l3_bss, which the cores cannot).
      if (buffer->inL3)
        os << ", section(\"" << (zero ? ".l3_bss" : ".l3") << "\")";
      os << "))";
      if (!zero) {
        os << " = {.bits = ";
        writeValues(init, 0);
        os << "}";
      }
      os << ";\n";
      os << "static " << param.cType << " *const " << param.name << "_p[2] = {"
         << buffer->symbol << ".v, " << buffer->symbol << ".v};\n\n";
      continue;
    }
    if (!param.isResult && isStateRole(param.role)) {
      // Through the state API, the step updates the state in buffers of
      // its own, read back into this one at the end; otherwise the steps
      // alternate between two buffers.
      unsigned argIndex = index;
      bool updated = !stateApi &&
                     llvm::any_of(step.params, [&](const CParam &result) {
                       return result.isResult &&
                              getFedArgument(result) == argIndex;
                     });
      writeBufferType(param, type, 0);
      const std::vector<double> &init = data.values.at(index).front();
      bool zero = llvm::all_of(init, [](double v) { return v == 0.0; });
      os << "static " << type << " " << param.name
         << "_0 __attribute__((aligned(8)))";
      if (!zero) {
        os << " = {.bits = ";
        writeValues(init, 0);
        os << "}";
      }
      os << ";\n";
      if (updated)
        os << "static " << type << " " << param.name
           << "_1 __attribute__((aligned(8)));\n";
      os << "static " << param.cType << " *const " << param.name << "_p[2] = {"
         << param.name << "_0.v, " << param.name << (updated ? "_1" : "_0")
         << ".v};\n\n";
      continue;
    }
    if (param.isResult && getFedArgument(param))
      continue;
    writeBufferType(param, type, 0);
    os << "static " << type << " " << param.name
       << "_buf __attribute__((aligned(8)));\n\n";
  }

  // Heap high-water marks: the lowered step allocates its temporaries with
  // malloc (L2); tiled code takes L1 blocks.
  if (definesState() && llvm::any_of(step.state, [](const auto &buffer) {
        return buffer.inL3;
      }))
    os << R"c(/* The state in L3, which the cores cannot read, is hashed and
   printed at the end through a window in L2 that the L3 channel fills. */
static uint8_t l3_window[256] __attribute__((aligned(16)));

static const uint8_t *l3_fetch(const void *l3, size_t offset, size_t size) {
  pulptrain_l3_wait(pulptrain_l3_copy((char *)l3 + offset, l3_window, size,
                                      PULPTRAIN_L3_TO_L2));
  return l3_window;
}

static uint32_t fnv1a_l3(const void *l3, size_t size) {
  uint32_t h = 2166136261u;
  for (size_t off = 0; off < size; off += sizeof l3_window) {
    size_t n = size - off < sizeof l3_window ? size - off : sizeof l3_window;
    const uint8_t *p = l3_fetch(l3, off, n);
    for (size_t i = 0; i < n; i++)
      h = (h ^ p[i]) * 16777619u;
  }
  return h;
}

)c";

  os << R"c(/* Peak heap use, measured by wrapping the allocators (linked with
   --wrap=malloc --wrap=pulptrain_l1_malloc). */
static int tracking;
static size_t l2_free_at_start, l2_peak, l1_free_at_start, l1_peak;

void *__real_malloc(size_t size);
void *__wrap_malloc(size_t size) {
  void *p = __real_malloc(size);
  if (!p) {
    printf("pulptrain-oom L2 %u %u\n", (unsigned)size,
           (unsigned)pulptrain_l2_free_bytes());
    pulptrain_exit(3);
  }
  if (tracking && l2_free_at_start - pulptrain_l2_free_bytes() > l2_peak)
    l2_peak = l2_free_at_start - pulptrain_l2_free_bytes();
  return p;
}

void *__real_pulptrain_l1_malloc(size_t size);
void *__wrap_pulptrain_l1_malloc(size_t size) {
  void *p = __real_pulptrain_l1_malloc(size);
  if (!p) {
    printf("pulptrain-oom L1 %u %u\n", (unsigned)size,
           (unsigned)pulptrain_l1_free_bytes());
    pulptrain_exit(3);
  }
  if (tracking && l1_free_at_start - pulptrain_l1_free_bytes() > l1_peak)
    l1_peak = l1_free_at_start - pulptrain_l1_free_bytes();
  return p;
}

/* FNV-1a of a buffer: compares final parameters across runs. */
static uint32_t fnv1a(const void *data, size_t size) {
  const uint8_t *p = data;
  uint32_t h = 2166136261u;
  for (size_t i = 0; i < size; i++)
    h = (h ^ p[i]) * 16777619u;
  return h;
}

/* In L1: the counter snapshot at an enter is a store inside the region. */
static pulptrain_prof_region_t regions[NUM_REGIONS + 1]
    __attribute__((section(".l1_bss")));

)c";

  if (hasRegionExtras(options))
    os << R"c(/* Instruction-cache misses and FPU contention of core 0 per region
   (pulptrain-run --preset other than ideal): the link wraps the profiling
   calls, which read the two counters outside the region's own window. */
void __real_pulptrain_prof_enter(uint32_t id);
void __real_pulptrain_prof_exit(uint32_t id);
static uint32_t extra_start[NUM_REGIONS + 1][2]
    __attribute__((section(".l1_bss")));
static uint64_t extra_total[NUM_REGIONS + 1][2]
    __attribute__((section(".l1_bss")));

void __wrap_pulptrain_prof_enter(uint32_t id) {
  if (id <= NUM_REGIONS) {
    extra_start[id][0] = pulptrain_perf_read(PULPTRAIN_PERF_EV_ICACHE_MISS);
    extra_start[id][1] = pulptrain_perf_read(PULPTRAIN_PERF_EV_FPU_CONT);
  }
  __real_pulptrain_prof_enter(id);
}

void __wrap_pulptrain_prof_exit(uint32_t id) {
  __real_pulptrain_prof_exit(id);
  if (id <= NUM_REGIONS) {
    extra_total[id][0] += (uint32_t)(
        pulptrain_perf_read(PULPTRAIN_PERF_EV_ICACHE_MISS) - extra_start[id][0]);
    extra_total[id][1] += (uint32_t)(
        pulptrain_perf_read(PULPTRAIN_PERF_EV_FPU_CONT) - extra_start[id][1]);
  }
}

static void extra_clear(void) {
  for (unsigned id = 0; id <= NUM_REGIONS; id++)
    extra_total[id][0] = extra_total[id][1] = 0;
}

static void extra_print(unsigned step) {
  for (unsigned id = 0; id <= NUM_REGIONS; id++)
    printf("pulptrain-prof-extra %u %u %lu %lu\n", step, id,
           (unsigned long)extra_total[id][0], (unsigned long)extra_total[id][1]);
}

)c";

  os << "int main(void) {\n"
     << "  l2_free_at_start = pulptrain_l2_free_bytes();\n"
     << "  l1_free_at_start = pulptrain_l1_free_bytes();\n"
     << "  tracking = 1;\n"
     << "  pulptrain_prof_init(regions, NUM_REGIONS + 1, "
     << (options.profileAllCores ? "PULPTRAIN_PROF_ALL_CORES"
                                 : "PULPTRAIN_PROF_CORE0")
     << ");\n"
     << "  printf(\"pulptrain-run regions %u steps %u\\n\", NUM_REGIONS, "
        "STEPS);\n";
  // The state API: the state is copied in once, before the first step
  // (unless it is initialised in place).
  if (stateApi && !definesState())
    writeCall(step.funcName + attrs::kStateInitSuffix.str(), stateApi->init,
              2);
  os
     << "  for (unsigned step = 0; step < STEPS; step++) {\n"
     << "    unsigned cur = step & 1u, nxt = cur ^ 1u;\n"
     << "    (void)cur;\n    (void)nxt;\n"
     << "    pulptrain_prof_clear();\n"
     << (hasRegionExtras(options) ? "    extra_clear();\n" : "")
     << "    pulptrain_prof_enter(NUM_REGIONS);\n";
  if (stateApi)
    writeCall(step.funcName + attrs::kStateRunSuffix.str(), stateApi->run, 4);
  else
    writeCall(step.funcName, step.params, 4);
  os << "    pulptrain_prof_exit(NUM_REGIONS);\n";
  const CParam &loss = *llvm::find_if(
      step.params, [](const CParam &p) { return p.role == CParamRole::Loss; });
  os << "    printf(\"pulptrain-loss %u " << (wide ? "%08lx" : "%04lx")
     << "\\n\", step, (unsigned long)" << loss.name << "_buf.bits[0]);\n"
     << "    pulptrain_prof_print(step);\n"
     << (hasRegionExtras(options) ? "    extra_print(step);\n" : "")
     << "  }\n";
  if (stateApi && !definesState())
    writeCall(step.funcName + attrs::kStateReadSuffix.str(), stateApi->read,
              2);
  // Final parameters: after STEPS steps they are in buffer STEPS & 1.
  for (const CParam &param : step.params) {
    if (param.isResult ||
        (param.role != CParamRole::Param && param.role != CParamRole::Buffer))
      continue;
    const CompiledStep::StateBuffer *buffer = step.findStateBuffer(param);
    bool inL3 = definesState() && buffer && buffer->inL3;
    os << "  printf(\"pulptrain-param " << param.tensorName
       << " %08lx\\n\", (unsigned long)" << (inL3 ? "fnv1a_l3(" : "fnv1a(")
       << param.name << "_p[STEPS & 1u], "
       << param.numElements * param.elementBytes << "u));\n";
    if (!options.dumpParams)
      continue;
    // Every element's bit pattern, for a comparison with the reference.
    StringRef bitsType = param.elementBytes == 4 ? "uint32_t" : "uint16_t";
    if (inL3) {
      os << "  printf(\"pulptrain-param-bits " << param.tensorName << "\");\n"
         << "  for (unsigned i = 0; i < " << param.numElements << "u; ++i) {\n"
         << "    printf(\" %lx\", (unsigned long)*(const " << bitsType
         << " *)l3_fetch(" << param.name << "_p[STEPS & 1u], i * "
         << param.elementBytes << "u, " << param.elementBytes << "u));\n"
         << "  }\n"
         << "  printf(\"\\n\");\n";
      continue;
    }
    os << "  printf(\"pulptrain-param-bits " << param.tensorName << "\");\n"
       << "  for (unsigned i = 0; i < " << param.numElements << "u; ++i)\n"
       << "    printf(\" %lx\", (unsigned long)((const " << bitsType
       << " *)" << param.name << "_p[STEPS & 1u])[i]);\n"
       << "  printf(\"\\n\");\n";
  }
  os << R"c(#ifdef __PULPTRAIN_SIM__
  extern char __heap_start[], __l1_heap_start[];
  printf("pulptrain-mem %lu %lu %lu %lu %lu %lu %u\n",
         (unsigned long)((uintptr_t)__heap_start - PULPTRAIN_L2_BASE),
         (unsigned long)l2_peak,
         (unsigned long)((uintptr_t)__l1_heap_start - PULPTRAIN_L1_BASE),
         (unsigned long)l1_peak, (unsigned long)pulptrain_l1_size(),
         (unsigned long)pulptrain_l2_size(), pulptrain_num_cores());
#endif
  printf("pulptrain-done\n");
  return 0;
}
)c";
}

} // namespace

std::string mlir::pulptrain::run::describeFootprint(const CompiledStep &step,
                                                    const Options &options) {
  int64_t samples = 0, params = 0, momentum = 0, buffers = 0, results = 0;
  // Through the state API the harness keeps one copy of the state (the
  // step updates its own); otherwise two of what the step updates.
  bool stateApi = getStateInterface(step.params).has_value();
  int64_t updatedCopies = stateApi ? 1 : 2;
  for (const CParam &p : step.params) {
    int64_t bytes = p.numElements * p.elementBytes;
    // A state buffer the harness defines for the step is the step's.
    if (stateApi && step.externalState && !p.isResult &&
        step.findStateBuffer(p))
      continue;
    if (p.isResult) {
      if (!isStateRole(p.role))
        results += bytes;
    } else if (p.role == CParamRole::Input || p.role == CParamRole::Label) {
      samples += bytes * options.steps;
    } else if (p.role == CParamRole::Param) {
      params += bytes * (p.trainable ? updatedCopies : 1);
    } else if (isOptimizerStateRole(p.role)) {
      momentum += bytes * updatedCopies;
    } else if (p.role == CParamRole::Buffer) {
      buffers += bytes * updatedCopies;
    }
  }
  std::string text;
  llvm::raw_string_ostream os(text);
  os << "  buffers of the harness in L2: " << samples << " B of samples ("
     << options.steps << " steps), " << params << " B of parameters"
     << (stateApi ? "" : " (trainable ones twice)") << ", " << momentum
     << " B of optimizer state (momentum or Adam's), ";
  if (buffers)
    os << buffers << " B of buffers (running statistics), ";
  os << results << " B of results; the step's "
     << "temporaries and code come on top";
  return text;
}

std::string mlir::pulptrain::run::generateHarness(const CompiledStep &step,
                                                  const RunData &data,
                                                  const Options &options,
                                                  StringRef headerName) {
  std::string text;
  llvm::raw_string_ostream os(text);
  HarnessWriter(step, data, options, os).write(headerName);
  return text;
}
