# -*- Python -*-
# lit configuration of the pulptrain regression tests.

import os
import shutil

import lit.formats
from lit.llvm import llvm_config
from lit.llvm.subst import ToolSubst

config.name = "PULPTRAIN"
config.test_format = lit.formats.ShTest(not llvm_config.use_lit_shell)
config.suffixes = [".mlir", ".ll", ".c", ".test", ".py", ".S"]
config.excludes = ["lit.cfg.py", "lit.site.cfg.py", "Inputs",
                   "CMakeLists.txt", "README.md"]
config.test_source_root = os.path.dirname(__file__)
config.test_exec_root = os.path.join(config.pulptrain_obj_root, "test")

config.substitutions.append(("%PATH%", config.environment["PATH"]))
config.substitutions.append(("%python", config.python_executable))
config.substitutions.append(("%src_root", config.pulptrain_src_root))
config.substitutions.append(("%runtime_dir", config.pulptrain_runtime_dir))
config.substitutions.append(("%pulptrain_obj_root", config.pulptrain_obj_root))
config.substitutions.append(("%pulptrain_bin", config.pulptrain_tools_dir))
config.substitutions.append(("%clang", config.clang))
config.substitutions.append(("%lld", config.lld))
# clang's -march of the cluster (lib/Target/ISA.cmake): standard ISA and
# with the CORE-V extensions.
config.substitutions.append(("%rv32-march-std", config.rv32_march_std))
config.substitutions.append(("%rv32-march-xcv", config.rv32_march_xcv))

llvm_config.with_system_environment(["HOME", "INCLUDE", "LIB", "TMP", "TEMP"])
llvm_config.use_default_substitutions()
llvm_config.with_environment("PATH", config.llvm_tools_dir, append_path=True)

# The Python package of the frontend and golden models.
llvm_config.with_environment(
    "PYTHONPATH", os.path.join(config.pulptrain_src_root, "python"),
    append_path=True)

tool_dirs = [config.pulptrain_tools_dir, config.llvm_tools_dir]
tools = [
    "pulptrain-opt",
    "pulptrain-translate",
    "pulptrain-sim",
    "pulptrain-cc",
    "pulptrain-run",
    ToolSubst("llvm-objdump", unresolved="fatal"),
    ToolSubst("llvm-mc", unresolved="fatal"),
    ToolSubst("llvm-readelf", unresolved="fatal"),
]
llvm_config.add_tool_substitutions(tools, tool_dirs)

# Optional independent references.
for q in ["qemu-riscv32", "qemu-system-riscv32"]:
    if shutil.which(q):
        config.available_features.add(q)
