// RUN: pulptrain-opt %s --pulptrain-im2col=steps=fwd,backward -verify-diagnostics

// expected-error @below {{pulptrain-im2col: unknown step 'backward' (expected fwd, wgt-grad or in-grad)}}
module {
}
