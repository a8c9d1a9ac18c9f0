//===- Process.cpp - pulptrain-run: files and processes -------------------===//
//
// The temporary directory of a run, the tools it runs, and reading, writing
// and running them.
//
//===----------------------------------------------------------------------===//

#include "Driver.h"

#include "llvm/Support/FileSystem.h"
#include "llvm/Support/MemoryBuffer.h"
#include "llvm/Support/Path.h"
#include "llvm/Support/Program.h"
#include "llvm/Support/raw_ostream.h"

using namespace mlir::pulptrain::run;

bool WorkDir::create(bool keep) {
  this->keep = keep;
  llvm::SmallString<128> dir;
  if (std::error_code ec =
          llvm::sys::fs::createUniqueDirectory("pulptrain-run", dir))
    return fail("cannot create a temporary directory: " + ec.message());
  path = std::string(dir);
  return true;
}

WorkDir::~WorkDir() {
  if (path.empty())
    return;
  llvm::outs().flush();
  if (keep)
    llvm::errs() << "pulptrain-run: temporary files kept in " << path << "\n";
  else
    llvm::sys::fs::remove_directories(path);
}

std::string WorkDir::file(llvm::StringRef name) const {
  llvm::SmallString<128> p(path);
  llvm::sys::path::append(p, name);
  return std::string(p);
}

bool Tools::find(const char *argv0, bool qemu) {
  std::string self =
      llvm::sys::fs::getMainExecutable(argv0, reinterpret_cast<void *>(&fail));
  binDir = std::string(llvm::sys::path::parent_path(self));
  auto sibling = [&](llvm::StringRef name) {
    llvm::SmallString<128> p(binDir);
    llvm::sys::path::append(p, name);
    return std::string(p);
  };
  cc = sibling("pulptrain-cc");
  sim = sibling("pulptrain-sim");
  for (const std::string &tool : {cc, sim})
    if (!llvm::sys::fs::can_execute(tool))
      return fail("'" + tool +
                  "' is missing (build pulptrain-cc and "
                  "pulptrain-sim)");
  if (!qemu)
    return true;
  llvm::ErrorOr<std::string> program =
      llvm::sys::findProgramByName("qemu-riscv32");
  if (!program)
    return fail("--qemu needs qemu-riscv32 (Debian package qemu-user)");
  this->qemu = *program;
  return true;
}

bool mlir::pulptrain::run::writeFile(llvm::StringRef path,
                                     llvm::StringRef contents) {
  std::error_code ec;
  llvm::raw_fd_ostream os(path, ec);
  if (ec)
    return fail("cannot write '" + path + "': " + ec.message());
  os << contents;
  return true;
}

bool mlir::pulptrain::run::readFile(llvm::StringRef path, std::string &out) {
  llvm::ErrorOr<std::unique_ptr<llvm::MemoryBuffer>> buffer =
      llvm::MemoryBuffer::getFileOrSTDIN(path);
  if (!buffer)
    return fail("cannot read '" + path + "': " + buffer.getError().message());
  out = (*buffer)->getBuffer().str();
  return true;
}

int mlir::pulptrain::run::runTool(
    llvm::ArrayRef<std::string> args, llvm::StringRef stdoutFile,
    llvm::StringRef stderrFile, bool verbose,
    std::optional<llvm::ArrayRef<llvm::StringRef>> env) {
  llvm::SmallVector<llvm::StringRef> refs(args.begin(), args.end());
  if (verbose) {
    llvm::errs() << "+";
    for (llvm::StringRef a : refs)
      llvm::errs() << " " << a;
    llvm::errs() << "\n";
  }
  std::optional<llvm::StringRef> redirects[] = {std::nullopt, stdoutFile,
                                                stderrFile};
  std::string error;
  int status =
      llvm::sys::ExecuteAndWait(refs[0], refs, env, redirects, 0, 0, &error);
  if (status < 0) {
    fail("cannot run '" + refs[0] + "': " + error);
    return -1;
  }
  return status;
}

std::string mlir::pulptrain::run::tail(llvm::StringRef path,
                                       unsigned maxLines) {
  std::string text;
  if (!readFile(path, text))
    return "";
  llvm::SmallVector<llvm::StringRef> lines;
  llvm::StringRef(text).split(lines, '\n', -1, false);
  size_t first = lines.size() > maxLines ? lines.size() - maxLines : 0;
  std::string out;
  for (size_t i = first; i < lines.size(); ++i)
    out += "\n  " + lines[i].str();
  return out;
}
