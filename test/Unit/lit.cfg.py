# -*- Python -*-
# Runs every GoogleTest binary in unittests/bin.

import lit.formats

config.name = "PULPTRAIN-Unit"
config.suffixes = []
config.test_source_root = config.unit_test_dir
config.test_exec_root = config.unit_test_dir
config.test_format = lit.formats.GoogleTest(".", "Tests")
