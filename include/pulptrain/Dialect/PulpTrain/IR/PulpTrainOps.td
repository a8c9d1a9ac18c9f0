//===- PulpTrainOps.td - pulptrain operations --------------*- tablegen -*-===//
//
// Forward, weight-gradient and input-gradient ops of every layer, activations,
// pooling, normalization, losses and the optimizer update.
//
//===----------------------------------------------------------------------===//

#ifndef PULPTRAIN_DIALECT_PULPTRAIN_IR_PULPTRAINOPS_TD
#define PULPTRAIN_DIALECT_PULPTRAIN_IR_PULPTRAINOPS_TD

include "pulptrain/Dialect/PulpTrain/IR/PulpTrainDialect.td"
include "pulptrain/Dialect/PulpTrain/IR/PulpTrainInterfaces.td"
include "mlir/Interfaces/SideEffectInterfaces.td"

//===----------------------------------------------------------------------===//
// Interfaces of the ops
//===----------------------------------------------------------------------===//

/// The op's gradient rule (lib/Dialect/PulpTrain/IR/Gradients.cpp).
defvar Differentiable =
    DeclareOpInterfaceMethods<PulpTrain_DifferentiableOpInterface>;
/// An op without multiply-accumulates: the default cost (whole operands
/// read, whole results written).
defvar Cost = DeclareOpInterfaceMethods<PulpTrain_CostOpInterface>;
/// An op with its own MAC count (lib/Dialect/PulpTrain/IR/Costs.cpp).
defvar CostWithMacs =
    DeclareOpInterfaceMethods<PulpTrain_CostOpInterface, ["getMacCount"]>;
/// A windowed op (convolution, pooling) with its own bytes read of the
/// input, whose strided windows may skip rows and columns.
defvar WindowCost = DeclareOpInterfaceMethods<PulpTrain_CostOpInterface,
                                              ["getOperandBytesRead"]>;
defvar WindowCostWithMacs =
    DeclareOpInterfaceMethods<PulpTrain_CostOpInterface,
                              ["getMacCount", "getOperandBytesRead"]>;

//===----------------------------------------------------------------------===//
// Common argument lists
//===----------------------------------------------------------------------===//

defvar LayoutArg = DefaultValuedAttr<PulpTrain_LayoutAttr,
                                     "::mlir::pulptrain::Layout::CHW">;

/// Convolution geometry: stride [sh, sw], padding [top, bottom, left, right],
/// groups, layout and an optional dilation [dh, dw] (in the attribute
/// dictionary; absent means [1, 1]).
defvar ConvAttrs = (ins DenseI64ArrayAttr:$stride,
                        DenseI64ArrayAttr:$padding,
                        DefaultValuedAttr<I64Attr, "1">:$groups,
                        LayoutArg:$layout,
                        OptionalAttr<DenseI64ArrayAttr>:$dilation);
defvar ConvAttrFormat = [{
  `stride` $stride `padding` $padding (`groups` $groups^)? (`layout` $layout^)?
}];

/// Pooling geometry: kernel [kh, kw], stride [sh, sw], padding
/// [top, bottom, left, right], layout and ceil_mode (output sizes rounded
/// up, as PyTorch's `ceil_mode=True`; in the attribute dictionary).
defvar PoolAttrs = (ins DenseI64ArrayAttr:$kernel,
                        DenseI64ArrayAttr:$stride,
                        DenseI64ArrayAttr:$padding,
                        LayoutArg:$layout,
                        DefaultValuedAttr<BoolAttr, "false">:$ceil_mode);
/// Average pooling also has count_include_pad (PyTorch's; default true).
defvar AvgPoolAttrs = !con(PoolAttrs,
    (ins DefaultValuedAttr<BoolAttr, "true">:$count_include_pad));
defvar PoolAttrFormat = [{
  `kernel` $kernel `stride` $stride `padding` $padding (`layout` $layout^)?
}];

//===----------------------------------------------------------------------===//
// Linear
//===----------------------------------------------------------------------===//

def PulpTrain_LinearOp
    : PulpTrain_ComputeOp<"linear", [Differentiable, CostWithMacs]> {
  let summary = "fully connected layer, forward";
  let description = [{
    `output[o] = sum_i weight[o, i] * input[i] (+ bias[o])`. The input is a
    vector `[in]`, the weight `[out, in]` (PyTorch's `nn.Linear` layout), the
    optional bias and the result `[out]`.

    Example:
    ```mlir
    %y = pulptrain.linear %x, %w, %b
        : (tensor<576xf32>, tensor<32x576xf32>, tensor<32xf32>) -> tensor<32xf32>
    ```
  }];
  let arguments = (ins PulpTrain_Tensor:$input, PulpTrain_Tensor:$weight,
                       Optional<PulpTrain_Tensor>:$bias);
  let results = (outs PulpTrain_Tensor:$output);
  let assemblyFormat = [{
    $input `,` $weight (`,` $bias^)? attr-dict `:` functional-type(operands, results)
  }];
  let hasVerifier = 1;
}

def PulpTrain_LinearWgtGradOp
    : PulpTrain_ComputeOp<"linear_wgt_grad", [CostWithMacs]> {
  let summary = "fully connected layer, weight gradient";
  let description = [{
    `grad_weight[o, i] = grad_output[o] * input[i]`: the outer product of the
    output gradient `[out]` and the layer input `[in]`, shaped like the weight
    `[out, in]`. The bias gradient is `grad_output` itself.

    Example:
    ```mlir
    %dw = pulptrain.linear_wgt_grad %x, %dy
        : (tensor<576xf32>, tensor<32xf32>) -> tensor<32x576xf32>
    ```
  }];
  let arguments = (ins PulpTrain_Tensor:$input, PulpTrain_Tensor:$grad_output);
  let results = (outs PulpTrain_Tensor:$grad_weight);
  let assemblyFormat = [{
    $input `,` $grad_output attr-dict `:` functional-type(operands, results)
  }];
  let hasVerifier = 1;
}

def PulpTrain_LinearInGradOp
    : PulpTrain_ComputeOp<"linear_in_grad", [CostWithMacs]> {
  let summary = "fully connected layer, input gradient";
  let description = [{
    `grad_input[i] = sum_o weight[o, i] * grad_output[o]`: the transposed
    weight `[out, in]` applied to the output gradient `[out]`.

    Example:
    ```mlir
    %dx = pulptrain.linear_in_grad %dy, %w
        : (tensor<32xf32>, tensor<32x576xf32>) -> tensor<576xf32>
    ```
  }];
  let arguments = (ins PulpTrain_Tensor:$grad_output, PulpTrain_Tensor:$weight);
  let results = (outs PulpTrain_Tensor:$grad_input);
  let assemblyFormat = [{
    $grad_output `,` $weight attr-dict `:` functional-type(operands, results)
  }];
  let hasVerifier = 1;
}

def PulpTrain_BiasGradOp : PulpTrain_ComputeOp<"bias_grad", [Cost]> {
  let summary = "bias gradient of a linear or convolution layer";
  let description = [{
    The gradient of a bias added per output channel: for a vector output
    gradient `[C]` it is the gradient itself; for a feature map it is the sum
    over the spatial dimensions (`[C, H, W]` in CHW, `[H, W, C]` in HWC).

    Example:
    ```mlir
    %db = pulptrain.bias_grad %dy : (tensor<16x6x6xf32>) -> tensor<16xf32>
    ```
  }];
  let arguments = (ins PulpTrain_Tensor:$grad_output, LayoutArg:$layout);
  let results = (outs PulpTrain_Tensor:$grad_bias);
  let assemblyFormat = [{
    $grad_output (`layout` $layout^)? attr-dict `:` functional-type(operands, results)
  }];
  let hasVerifier = 1;
}

//===----------------------------------------------------------------------===//
// Conv2D (including depthwise and pointwise)
//===----------------------------------------------------------------------===//

def PulpTrain_Conv2dOp
    : PulpTrain_ComputeOp<"conv2d", [Differentiable, WindowCostWithMacs]> {
  let summary = "2-D convolution, forward (also depthwise and pointwise)";
  let description = [{
    Cross-correlation of a feature map with `Cout` filters, as PyTorch's
    `nn.Conv2d` with batch 1: input `[Cin, H, W]`, weight
    `[Cout, Cin/groups, Kh, Kw]`, optional bias `[Cout]`, result
    `[Cout, Ho, Wo]` with `Ho = (H + top + bottom - Kh) / sh + 1` (rounded
    down), likewise `Wo`. `groups = Cin = Cout` is a depthwise convolution and
    a 1x1 kernel a pointwise one. With `layout <hwc>`, feature maps are
    `[H, W, C]` and the weight `[Cout, Kh, Kw, Cin/groups]`. A `dilation`
    `[dh, dw]` spaces the taps (PyTorch's `dilation`): tap `kh` reads input
    row `oh * sh + kh * dh`, and `Kh` becomes `dh * (Kh - 1) + 1` in the
    size rule.

    Example:
    ```mlir
    %y = pulptrain.conv2d %x, %w, %b stride [1, 1] padding [0, 0, 0, 0]
        : (tensor<8x8x8xf32>, tensor<16x8x3x3xf32>, tensor<16xf32>)
        -> tensor<16x6x6xf32>
    %dw = pulptrain.conv2d %x, %k stride [1, 1] padding [1, 1, 1, 1] groups 8
        : (tensor<8x8x8xf32>, tensor<8x1x3x3xf32>) -> tensor<8x8x8xf32>
    %d2 = pulptrain.conv2d %x, %w stride [1, 1] padding [2, 2, 2, 2]
        {dilation = array<i64: 2, 2>}
        : (tensor<8x8x8xf32>, tensor<16x8x3x3xf32>) -> tensor<16x8x8xf32>
    ```
  }];
  let arguments = !con((ins PulpTrain_Tensor:$input, PulpTrain_Tensor:$weight,
                            Optional<PulpTrain_Tensor>:$bias), ConvAttrs);
  let results = (outs PulpTrain_Tensor:$output);
  let assemblyFormat = !strconcat("$input `,` $weight (`,` $bias^)? ", ConvAttrFormat,
                                     "attr-dict `:` functional-type(operands, results)");
  let hasVerifier = 1;
}

def PulpTrain_Conv2dWgtGradOp
    : PulpTrain_ComputeOp<"conv2d_wgt_grad", [WindowCostWithMacs]> {
  let summary = "2-D convolution, weight gradient";
  let description = [{
    The gradient of a `pulptrain.conv2d` with the same attributes with
    respect to its weight: `grad_weight[co, ci, kh, kw] = sum_{y,x}
    grad_output[co, y, x] * input_padded[g*Cin/groups + ci, y*sh + kh*dh,
    x*sw + kw*dw]` where `g` is the group of `co` (`dh = dw = 1` without a
    `dilation`). The result type is the
    weight's; the verifier checks that a forward convolution of `input` with
    such a weight has the shape of `grad_output`.

    Example:
    ```mlir
    %dw = pulptrain.conv2d_wgt_grad %x, %dy stride [1, 1] padding [0, 0, 0, 0]
        : (tensor<8x8x8xf32>, tensor<16x6x6xf32>) -> tensor<16x8x3x3xf32>
    ```
  }];
  let arguments = !con((ins PulpTrain_Tensor:$input,
                            PulpTrain_Tensor:$grad_output), ConvAttrs);
  let results = (outs PulpTrain_Tensor:$grad_weight);
  let assemblyFormat = !strconcat("$input `,` $grad_output ", ConvAttrFormat,
                                     "attr-dict `:` functional-type(operands, results)");
  let hasVerifier = 1;
}

def PulpTrain_Conv2dInGradOp
    : PulpTrain_ComputeOp<"conv2d_in_grad", [CostWithMacs]> {
  let summary = "2-D convolution, input gradient";
  let description = [{
    The gradient of a `pulptrain.conv2d` with the same attributes with
    respect to its input (a transposed convolution of `grad_output` with the
    weight). The result type is the input's: with a stride, several input
    sizes give the same output size, so the result type selects it; input
    rows and columns no output reads get a zero gradient.

    Example:
    ```mlir
    %dx = pulptrain.conv2d_in_grad %dy, %w stride [1, 1] padding [0, 0, 0, 0]
        : (tensor<16x6x6xf32>, tensor<16x8x3x3xf32>) -> tensor<8x8x8xf32>
    ```
  }];
  let arguments = !con((ins PulpTrain_Tensor:$grad_output,
                            PulpTrain_Tensor:$weight), ConvAttrs);
  let results = (outs PulpTrain_Tensor:$grad_input);
  let assemblyFormat = !strconcat("$grad_output `,` $weight ", ConvAttrFormat,
                                     "attr-dict `:` functional-type(operands, results)");
  let hasVerifier = 1;
}

//===----------------------------------------------------------------------===//
// Activations
//===----------------------------------------------------------------------===//

class PulpTrain_UnaryOp<string mnemonic, list<Trait> traits = []>
    : PulpTrain_ComputeOp<mnemonic, !listconcat([SameOperandsAndResultType],
                                                traits)> {
  let arguments = (ins PulpTrain_Tensor:$input);
  let results = (outs PulpTrain_Tensor:$output);
  let assemblyFormat = "$input attr-dict `:` type($input)";
}

/// Gradient of an element-wise activation: two tensors of the result's type.
class PulpTrain_ActivationGradOp<string mnemonic, string firstName,
                                 list<Trait> traits = []>
    : PulpTrain_ComputeOp<mnemonic, !listconcat([SameOperandsAndResultType],
                                                traits)> {
  let arguments = (ins Arg<PulpTrain_Tensor, firstName>:$forward,
                       PulpTrain_Tensor:$grad_output);
  let results = (outs PulpTrain_Tensor:$grad_input);
  let assemblyFormat = "$forward `,` $grad_output attr-dict `:` type($forward)";
}

def PulpTrain_ReluOp : PulpTrain_UnaryOp<"relu", [Differentiable, Cost]> {
  let summary = "rectified linear unit";
  let description = [{
    `output = max(input, 0)` element-wise.

    Example:
    ```mlir
    %y = pulptrain.relu %x : tensor<16x6x6xf32>
    ```
  }];
}

def PulpTrain_ReluGradOp
    : PulpTrain_ActivationGradOp<"relu_grad",
                                 "the forward input or output", [Cost]> {
  let summary = "gradient of relu";
  let description = [{
    `grad_input = forward > 0 ? grad_output : 0`, where the first operand is
    the forward op's input or, equivalently, its output (`relu(x) > 0`
    exactly where `x > 0`; PyTorch's convention: the gradient at 0 is 0).
    The autodiff pass passes the output, which the next layer usually keeps
    anyway, so that the input need not live until the backward pass.

    Example:
    ```mlir
    %dx = pulptrain.relu_grad %y, %dy : tensor<16x6x6xf32>
    ```
  }];
}

def PulpTrain_ReluMaskOp
    : PulpTrain_Op<"relu_mask", [Pure, Cost,
                                 AllShapesMatch<["forward", "mask"]>]> {
  let summary = "where relu is positive, one byte per element";
  let description = [{
    `mask = forward > 0 ? 1 : 0` element-wise, as an i8 tensor, where
    `forward` is a relu's input or output. `pulptrain-compact-masks` keeps
    this mask for the backward pass (`pulptrain.relu_mask_grad`) instead of
    the relu's output when nothing else of the backward pass reads the
    output: a quarter of its bytes in f32, half in f16 and bf16.

    Example:
    ```mlir
    %m = pulptrain.relu_mask %y : tensor<16x6x6xf32> -> tensor<16x6x6xi8>
    ```
  }];
  let arguments = (ins PulpTrain_Tensor:$forward);
  let results = (outs PulpTrain_MaskTensor:$mask);
  let assemblyFormat = "$forward attr-dict `:` type($forward) `->` type($mask)";
}

def PulpTrain_ReluMaskGradOp
    : PulpTrain_Op<"relu_mask_grad",
                   [Pure, Cost,
                    AllShapesMatch<["mask", "grad_output", "grad_input"]>,
                    AllTypesMatch<["grad_output", "grad_input"]>]> {
  let summary = "gradient of relu from its byte mask";
  let description = [{
    `grad_input = mask != 0 ? grad_output : 0`, where `mask` is the
    `pulptrain.relu_mask` of the relu's output: the same result as
    `pulptrain.relu_grad` of the output.

    Example:
    ```mlir
    %dx = pulptrain.relu_mask_grad %m, %dy
        : tensor<16x6x6xi8>, tensor<16x6x6xf32>
    ```
  }];
  let arguments = (ins PulpTrain_MaskTensor:$mask,
                       PulpTrain_Tensor:$grad_output);
  let results = (outs PulpTrain_Tensor:$grad_input);
  let assemblyFormat =
      "$mask `,` $grad_output attr-dict `:` type($mask) `,` type($grad_output)";
}

def PulpTrain_LeakyReluOp : PulpTrain_ComputeOp<"leaky_relu",
                                                [SameOperandsAndResultType,
                                                 Differentiable, Cost]> {
  let summary = "leaky rectified linear unit";
  let description = [{
    `output = input >= 0 ? input : negative_slope * input` element-wise
    (default slope 0.01 as in PyTorch).

    Example:
    ```mlir
    %y = pulptrain.leaky_relu %x {negative_slope = 0.1 : f64} : tensor<64xf32>
    ```
  }];
  let arguments = (ins PulpTrain_Tensor:$input,
                       DefaultValuedAttr<F64Attr, "0.01">:$negative_slope);
  let results = (outs PulpTrain_Tensor:$output);
  let assemblyFormat = "$input attr-dict `:` type($input)";
  let hasVerifier = 1;
}

def PulpTrain_LeakyReluGradOp
    : PulpTrain_ComputeOp<"leaky_relu_grad",
                          [SameOperandsAndResultType, Cost]> {
  let summary = "gradient of leaky_relu";
  let description = [{
    `grad_input = input > 0 ? grad_output : negative_slope * grad_output`,
    with the forward op's input as the first operand.

    Example:
    ```mlir
    %dx = pulptrain.leaky_relu_grad %x, %dy {negative_slope = 0.1 : f64}
        : tensor<64xf32>
    ```
  }];
  let arguments = (ins Arg<PulpTrain_Tensor, "the forward input">:$forward,
                       PulpTrain_Tensor:$grad_output,
                       DefaultValuedAttr<F64Attr, "0.01">:$negative_slope);
  let results = (outs PulpTrain_Tensor:$grad_input);
  let assemblyFormat = "$forward `,` $grad_output attr-dict `:` type($forward)";
  let hasVerifier = 1;
}

def PulpTrain_SigmoidOp : PulpTrain_UnaryOp<"sigmoid", [Differentiable, Cost]> {
  let summary = "logistic sigmoid";
  let description = [{
    `output = 1 / (1 + exp(-input))` element-wise.

    Example:
    ```mlir
    %y = pulptrain.sigmoid %x : tensor<10xf16>
    ```
  }];
}

def PulpTrain_SigmoidGradOp
    : PulpTrain_ActivationGradOp<"sigmoid_grad", "the forward output", [Cost]> {
  let summary = "gradient of sigmoid";
  let description = [{
    `grad_input = grad_output * output * (1 - output)`, with the forward
    op's *output* as the first operand.

    Example:
    ```mlir
    %dx = pulptrain.sigmoid_grad %y, %dy : tensor<10xf16>
    ```
  }];
}

def PulpTrain_TanhOp : PulpTrain_UnaryOp<"tanh", [Differentiable, Cost]> {
  let summary = "hyperbolic tangent";
  let description = [{
    `output = tanh(input)` element-wise.

    Example:
    ```mlir
    %y = pulptrain.tanh %x : tensor<10xbf16>
    ```
  }];
}

def PulpTrain_TanhGradOp
    : PulpTrain_ActivationGradOp<"tanh_grad", "the forward output", [Cost]> {
  let summary = "gradient of tanh";
  let description = [{
    `grad_input = grad_output * (1 - output^2)`, with the forward op's
    *output* as the first operand.

    Example:
    ```mlir
    %dx = pulptrain.tanh_grad %y, %dy : tensor<10xbf16>
    ```
  }];
}

def PulpTrain_Relu6Op : PulpTrain_UnaryOp<"relu6", [Differentiable, Cost]> {
  let summary = "rectified linear unit clipped at 6";
  let description = [{
    `output = min(max(input, 0), 6)` element-wise, as PyTorch's `nn.ReLU6`
    (MobileNetV2).

    Example:
    ```mlir
    %y = pulptrain.relu6 %x : tensor<16x6x6xf32>
    ```
  }];
}

def PulpTrain_Relu6GradOp
    : PulpTrain_ActivationGradOp<"relu6_grad", "the forward input", [Cost]> {
  let summary = "gradient of relu6";
  let description = [{
    `grad_input = 0 < input < 6 ? grad_output : 0`, with the forward op's
    input as the first operand (PyTorch's `hardtanh_backward`: the gradient
    at 0 and at 6 is 0).

    Example:
    ```mlir
    %dx = pulptrain.relu6_grad %x, %dy : tensor<16x6x6xf32>
    ```
  }];
}

def PulpTrain_HardswishOp
    : PulpTrain_UnaryOp<"hardswish", [Differentiable, Cost]> {
  let summary = "hard swish";
  let description = [{
    `output = input * min(max(input + 3, 0), 6) / 6` element-wise, as
    PyTorch's `nn.Hardswish` (MobileNetV3).

    Example:
    ```mlir
    %y = pulptrain.hardswish %x : tensor<16x6x6xf16>
    ```
  }];
}

def PulpTrain_HardswishGradOp
    : PulpTrain_ActivationGradOp<"hardswish_grad", "the forward input",
                                 [Cost]> {
  let summary = "gradient of hardswish";
  let description = [{
    `grad_input = grad_output * (input < -3 ? 0 : input < 3 ?
    input / 3 + 0.5 : 1)`, with the forward op's input as the first operand
    (PyTorch's `hardswish_backward`: at -3 the slope is -0.5, at 3 it is 1).

    Example:
    ```mlir
    %dx = pulptrain.hardswish_grad %x, %dy : tensor<16x6x6xf16>
    ```
  }];
}

def PulpTrain_HardsigmoidOp
    : PulpTrain_UnaryOp<"hardsigmoid", [Differentiable, Cost]> {
  let summary = "hard sigmoid";
  let description = [{
    `output = min(max(input + 3, 0), 6) / 6` element-wise, as PyTorch's
    `nn.Hardsigmoid` (the gate of MobileNetV3's squeeze-excitation).

    Example:
    ```mlir
    %y = pulptrain.hardsigmoid %x : tensor<10xbf16>
    ```
  }];
}

def PulpTrain_HardsigmoidGradOp
    : PulpTrain_ActivationGradOp<"hardsigmoid_grad", "the forward input",
                                 [Cost]> {
  let summary = "gradient of hardsigmoid";
  let description = [{
    `grad_input = -3 < input < 3 ? grad_output / 6 : 0`, with the forward
    op's input as the first operand (PyTorch's `hardsigmoid_backward`).

    Example:
    ```mlir
    %dx = pulptrain.hardsigmoid_grad %x, %dy : tensor<10xbf16>
    ```
  }];
}

def PulpTrain_SoftmaxOp : PulpTrain_ComputeOp<"softmax",
                                              [SameOperandsAndResultType,
                                               Differentiable, Cost]> {
  let summary = "softmax along one dimension";
  let description = [{
    `output = exp(input - max) / sum(exp(input - max))` along `axis`
    (default: the last dimension; negative values count from the end).

    Example:
    ```mlir
    %p = pulptrain.softmax %logits : tensor<10xf32>
    ```
  }];
  let arguments = (ins PulpTrain_Tensor:$input,
                       DefaultValuedAttr<I64Attr, "-1">:$axis);
  let results = (outs PulpTrain_Tensor:$output);
  let assemblyFormat = "$input attr-dict `:` type($input)";
  let hasVerifier = 1;
}

def PulpTrain_SoftmaxGradOp : PulpTrain_ComputeOp<"softmax_grad",
                                                  [SameOperandsAndResultType,
                                                   Cost]> {
  let summary = "gradient of softmax";
  let description = [{
    `grad_input = output * (grad_output - sum(grad_output * output))` along
    `axis`, with the forward op's *output* as the first operand.

    Example:
    ```mlir
    %dx = pulptrain.softmax_grad %p, %dp : tensor<10xf32>
    ```
  }];
  let arguments = (ins Arg<PulpTrain_Tensor, "the forward output">:$forward,
                       PulpTrain_Tensor:$grad_output,
                       DefaultValuedAttr<I64Attr, "-1">:$axis);
  let results = (outs PulpTrain_Tensor:$grad_input);
  let assemblyFormat = "$forward `,` $grad_output attr-dict `:` type($forward)";
  let hasVerifier = 1;
}

//===----------------------------------------------------------------------===//
// Pooling
//===----------------------------------------------------------------------===//

def PulpTrain_MaxPool2dOp
    : PulpTrain_ComputeOp<"maxpool2d", [Differentiable, WindowCost]> {
  let summary = "2-D max pooling, forward";
  let description = [{
    The maximum over each `kernel` window, as PyTorch's `nn.MaxPool2d`
    (padding counts as -infinity). Input `[C, H, W]`, result `[C, Ho, Wo]`
    with `Ho = (H + top + bottom - Kh) / sh + 1` (rounded down; rounded up
    with `ceil_mode = true`, as PyTorch, dropping a last window that would
    start beyond the input and the top padding: the windows then reach
    past the bottom padding, which counts as -infinity too). Padding may
    not exceed half the kernel.

    Example:
    ```mlir
    %y = pulptrain.maxpool2d %x kernel [2, 2] stride [2, 2] padding [0, 0, 0, 0]
        : (tensor<16x6x6xf32>) -> tensor<16x3x3xf32>
    ```
  }];
  let arguments = !con((ins PulpTrain_Tensor:$input), PoolAttrs);
  let results = (outs PulpTrain_Tensor:$output);
  let assemblyFormat = !strconcat("$input ", PoolAttrFormat,
                                     "attr-dict `:` functional-type(operands, results)");
  let hasVerifier = 1;
}

def PulpTrain_MaxPool2dGradOp : PulpTrain_ComputeOp<"maxpool2d_grad", [WindowCost]> {
  let summary = "2-D max pooling, input gradient";
  let description = [{
    Routes each output gradient to the input element that was the maximum
    of its window (the first one in row-major order on ties, as PyTorch);
    gradients of overlapping windows add up. The first operand is the
    forward op's input.

    Example:
    ```mlir
    %dx = pulptrain.maxpool2d_grad %x, %dy kernel [2, 2] stride [2, 2]
        padding [0, 0, 0, 0]
        : (tensor<16x6x6xf32>, tensor<16x3x3xf32>) -> tensor<16x6x6xf32>
    ```
  }];
  let arguments = !con((ins PulpTrain_Tensor:$input,
                            PulpTrain_Tensor:$grad_output), PoolAttrs);
  let results = (outs PulpTrain_Tensor:$grad_input);
  let assemblyFormat = !strconcat("$input `,` $grad_output ", PoolAttrFormat,
                                     "attr-dict `:` functional-type(operands, results)");
  let hasVerifier = 1;
}

def PulpTrain_MaxPool2dArgmaxOp
    : PulpTrain_Op<"maxpool2d_argmax",
                   [Pure, WindowCost, AllElementTypesMatch<["input", "output"]>,
                    AllShapesMatch<["output", "positions"]>]> {
  let summary = "2-D max pooling, forward, with the position of each "
                "window's maximum";
  let description = [{
    `output` is the `pulptrain.maxpool2d` of `input`; `positions` holds the
    position `kh * Kw + kw` in its window of each window's maximum (the
    first one in row-major order on ties, as PyTorch), one unsigned byte
    each: windows of at most 256 elements. `pulptrain-compact-masks`
    replaces a forward max pooling by this op when the backward pass keeps
    the positions (`pulptrain.maxpool2d_scatter`) instead of the pooling's
    input.

    Example:
    ```mlir
    %y, %p = pulptrain.maxpool2d_argmax %x kernel [2, 2] stride [2, 2]
        padding [0, 0, 0, 0]
        : (tensor<16x6x6xf32>) -> (tensor<16x3x3xf32>, tensor<16x3x3xi8>)
    ```
  }];
  let arguments = !con((ins PulpTrain_Tensor:$input), PoolAttrs);
  let results = (outs PulpTrain_Tensor:$output,
                      PulpTrain_MaskTensor:$positions);
  let assemblyFormat = !strconcat("$input ", PoolAttrFormat,
                                     "attr-dict `:` functional-type(operands, results)");
  let hasVerifier = 1;
}

def PulpTrain_MaxPool2dScatterOp
    : PulpTrain_Op<"maxpool2d_scatter",
                   [Pure, Cost, AllElementTypesMatch<["grad_output",
                                                      "grad_input"]>]> {
  let summary = "2-D max pooling, input gradient from the positions of the "
                "maxima";
  let description = [{
    Routes each output gradient to the input element at its window's
    position in `positions` (`pulptrain.maxpool2d_argmax`); gradients of
    overlapping windows add up. The same result as `pulptrain.maxpool2d_grad`
    of the pooling's input. The result type is the forward input's.

    Example:
    ```mlir
    %dx = pulptrain.maxpool2d_scatter %p, %dy kernel [2, 2] stride [2, 2]
        padding [0, 0, 0, 0]
        : (tensor<16x3x3xi8>, tensor<16x3x3xf32>) -> tensor<16x6x6xf32>
    ```
  }];
  let arguments = !con((ins PulpTrain_MaskTensor:$positions,
                            PulpTrain_Tensor:$grad_output), PoolAttrs);
  let results = (outs PulpTrain_Tensor:$grad_input);
  let assemblyFormat = !strconcat("$positions `,` $grad_output ", PoolAttrFormat,
                                     "attr-dict `:` functional-type(operands, results)");
  let hasVerifier = 1;
}

def PulpTrain_AvgPool2dOp
    : PulpTrain_ComputeOp<"avgpool2d", [Differentiable, WindowCost]> {
  let summary = "2-D average pooling, forward";
  let description = [{
    The mean over each `kernel` window, as PyTorch's `nn.AvgPool2d`. With
    `count_include_pad = true` (the default) padded zeros count and the
    divisor is `Kh * Kw`, except for windows that `ceil_mode = true` lets
    reach past the bottom or right padding: the part beyond does not count
    (PyTorch's rule). With `count_include_pad = false` the divisor is the
    number of input elements in the window.

    Example:
    ```mlir
    %y = pulptrain.avgpool2d %x kernel [4, 4] stride [4, 4] padding [0, 0, 0, 0]
        : (tensor<32x4x4xf32>) -> tensor<32x1x1xf32>
    %z = pulptrain.avgpool2d %x kernel [3, 3] stride [2, 2] padding [1, 1, 1, 1]
        {ceil_mode = true, count_include_pad = false}
        : (tensor<32x4x4xf32>) -> tensor<32x3x3xf32>
    ```
  }];
  let arguments = !con((ins PulpTrain_Tensor:$input), AvgPoolAttrs);
  let results = (outs PulpTrain_Tensor:$output);
  let assemblyFormat = !strconcat("$input ", PoolAttrFormat,
                                     "attr-dict `:` functional-type(operands, results)");
  let hasVerifier = 1;
}

def PulpTrain_AvgPool2dGradOp : PulpTrain_ComputeOp<"avgpool2d_grad", [Cost]> {
  let summary = "2-D average pooling, input gradient";
  let description = [{
    Spreads each output gradient divided by its window's divisor (`Kh * Kw`,
    or as `ceil_mode` and `count_include_pad` make it, see
    `pulptrain.avgpool2d`) over its window. The result type is the forward
    input's (with a stride, several input sizes give the same output size).

    Example:
    ```mlir
    %dx = pulptrain.avgpool2d_grad %dy kernel [4, 4] stride [4, 4]
        padding [0, 0, 0, 0] : (tensor<32x1x1xf32>) -> tensor<32x4x4xf32>
    ```
  }];
  let arguments = !con((ins PulpTrain_Tensor:$grad_output), AvgPoolAttrs);
  let results = (outs PulpTrain_Tensor:$grad_input);
  let assemblyFormat = !strconcat("$grad_output ", PoolAttrFormat,
                                     "attr-dict `:` functional-type(operands, results)");
  let hasVerifier = 1;
}

def PulpTrain_AdaptiveAvgPool2dOp
    : PulpTrain_ComputeOp<"adaptive_avgpool2d", [Differentiable, Cost]> {
  let summary = "2-D adaptive average pooling to any output size, forward";
  let description = [{
    PyTorch's `nn.AdaptiveAvgPool2d`: output row `i` of `Ho` averages the
    input rows `floor(i * H / Ho)` to `ceil((i + 1) * H / Ho)` (exclusive),
    likewise the columns, so windows may differ in size and overlap. Input
    `[C, H, W]`, result `[C, Ho, Wo]` (`[H, W, C]` and `[Ho, Wo, C]` with
    `layout <hwc>`). The importer uses `pulptrain.avgpool2d` where the
    sizes divide (equal windows).

    Example:
    ```mlir
    %y = pulptrain.adaptive_avgpool2d %x
        : (tensor<8x7x5xf32>) -> tensor<8x3x2xf32>
    ```
  }];
  let arguments = (ins PulpTrain_Tensor:$input, LayoutArg:$layout);
  let results = (outs PulpTrain_Tensor:$output);
  let assemblyFormat = [{
    $input (`layout` $layout^)? attr-dict `:` functional-type(operands, results)
  }];
  let hasVerifier = 1;
}

def PulpTrain_AdaptiveAvgPool2dGradOp
    : PulpTrain_ComputeOp<"adaptive_avgpool2d_grad", [Cost]> {
  let summary = "2-D adaptive average pooling, input gradient";
  let description = [{
    Spreads each output gradient divided by its window's size over its
    window (`pulptrain.adaptive_avgpool2d`'s windows); the gradients of
    overlapping windows add up. The result type is the forward input's.

    Example:
    ```mlir
    %dx = pulptrain.adaptive_avgpool2d_grad %dy
        : (tensor<8x3x2xf32>) -> tensor<8x7x5xf32>
    ```
  }];
  let arguments = (ins PulpTrain_Tensor:$grad_output, LayoutArg:$layout);
  let results = (outs PulpTrain_Tensor:$grad_input);
  let assemblyFormat = [{
    $grad_output (`layout` $layout^)? attr-dict `:`
    functional-type(operands, results)
  }];
  let hasVerifier = 1;
}

//===----------------------------------------------------------------------===//
// Instance normalization
//===----------------------------------------------------------------------===//

def PulpTrain_InstanceNormOp
    : PulpTrain_ComputeOp<"instance_norm", [Differentiable, Cost]> {
  let summary = "instance normalization with affine parameters, forward";
  let description = [{
    Per channel `c`: `output = (input - mean_c) / sqrt(var_c + eps) *
    gamma[c] + beta[c]`, with the mean and the biased variance over the
    spatial dimensions (PyTorch's `nn.InstanceNorm2d(affine=True)` with
    batch 1, no running statistics).

    Example:
    ```mlir
    %y = pulptrain.instance_norm %x, %gamma, %beta {eps = 1.0e-05 : f64}
        : (tensor<8x4x4xf32>, tensor<8xf32>, tensor<8xf32>) -> tensor<8x4x4xf32>
    ```
  }];
  let arguments = (ins PulpTrain_Tensor:$input, PulpTrain_Tensor:$gamma,
                       PulpTrain_Tensor:$beta,
                       DefaultValuedAttr<F64Attr, "1e-5">:$eps,
                       LayoutArg:$layout);
  let results = (outs PulpTrain_Tensor:$output);
  let assemblyFormat = [{
    $input `,` $gamma `,` $beta (`layout` $layout^)? attr-dict `:`
    functional-type(operands, results)
  }];
  let hasVerifier = 1;
}

def PulpTrain_InstanceNormInGradOp
    : PulpTrain_ComputeOp<"instance_norm_in_grad", [Cost]> {
  let summary = "instance normalization, input gradient";
  let description = [{
    The gradient with respect to the input, recomputing the statistics from
    the forward input: with `xhat = (input - mean) * rstd` and
    `g = grad_output * gamma`, per channel over `N` spatial points:
    `grad_input = rstd * (g - mean(g) - xhat * mean(g * xhat))`.

    Example:
    ```mlir
    %dx = pulptrain.instance_norm_in_grad %x, %gamma, %dy
        : (tensor<8x4x4xf32>, tensor<8xf32>, tensor<8x4x4xf32>)
        -> tensor<8x4x4xf32>
    ```
  }];
  let arguments = (ins PulpTrain_Tensor:$input, PulpTrain_Tensor:$gamma,
                       PulpTrain_Tensor:$grad_output,
                       DefaultValuedAttr<F64Attr, "1e-5">:$eps,
                       LayoutArg:$layout);
  let results = (outs PulpTrain_Tensor:$grad_input);
  let assemblyFormat = [{
    $input `,` $gamma `,` $grad_output (`layout` $layout^)? attr-dict `:`
    functional-type(operands, results)
  }];
  let hasVerifier = 1;
}

def PulpTrain_InstanceNormWgtGradOp
    : PulpTrain_ComputeOp<"instance_norm_wgt_grad", [Cost]> {
  let summary = "instance normalization, gamma and beta gradients";
  let description = [{
    Per channel: `grad_gamma[c] = sum(grad_output * xhat)` and
    `grad_beta[c] = sum(grad_output)` over the spatial dimensions, with
    `xhat` the normalized forward input.

    Example:
    ```mlir
    %dg, %db = pulptrain.instance_norm_wgt_grad %x, %dy
        : (tensor<8x4x4xf32>, tensor<8x4x4xf32>) -> (tensor<8xf32>, tensor<8xf32>)
    ```
  }];
  let arguments = (ins PulpTrain_Tensor:$input, PulpTrain_Tensor:$grad_output,
                       DefaultValuedAttr<F64Attr, "1e-5">:$eps,
                       LayoutArg:$layout);
  let results = (outs PulpTrain_Tensor:$grad_gamma,
                      PulpTrain_Tensor:$grad_beta);
  let assemblyFormat = [{
    $input `,` $grad_output (`layout` $layout^)? attr-dict `:`
    functional-type(operands, results)
  }];
  let hasVerifier = 1;
}

//===----------------------------------------------------------------------===//
// Batch normalization (training mode)
//===----------------------------------------------------------------------===//

def PulpTrain_BatchNormOp
    : PulpTrain_ComputeOp<"batch_norm", [Differentiable, Cost]> {
  let summary = "batch normalization in training mode, forward";
  let description = [{
    PyTorch's `nn.BatchNorm2d` in training mode on a batch of one feature
    map: per channel `c`, `output = (input - mean_c) / sqrt(var_c + eps) *
    gamma[c] + beta[c]`, with the batch statistics, i.e. the mean and the
    biased variance over the spatial dimensions. The running statistics are
    updated by `pulptrain.batch_norm_running_stats`, which is not on the
    path to the loss.

    Example:
    ```mlir
    %y = pulptrain.batch_norm %x, %gamma, %beta {eps = 1.0e-05 : f64}
        : (tensor<8x4x4xf32>, tensor<8xf32>, tensor<8xf32>) -> tensor<8x4x4xf32>
    ```
  }];
  let arguments = (ins PulpTrain_Tensor:$input, PulpTrain_Tensor:$gamma,
                       PulpTrain_Tensor:$beta,
                       DefaultValuedAttr<F64Attr, "1e-5">:$eps,
                       LayoutArg:$layout);
  let results = (outs PulpTrain_Tensor:$output);
  let assemblyFormat = [{
    $input `,` $gamma `,` $beta (`layout` $layout^)? attr-dict `:`
    functional-type(operands, results)
  }];
  let hasVerifier = 1;
}

def PulpTrain_BatchNormInGradOp
    : PulpTrain_ComputeOp<"batch_norm_in_grad", [Cost]> {
  let summary = "batch normalization in training mode, input gradient";
  let description = [{
    The gradient with respect to the input through the batch statistics,
    recomputed from the forward input: with `xhat = (input - mean) * rstd`
    and `g = grad_output * gamma`, per channel over the `N` values of the
    batch: `grad_input = rstd * (g - mean(g) - xhat * mean(g * xhat))`.

    Example:
    ```mlir
    %dx = pulptrain.batch_norm_in_grad %x, %gamma, %dy
        : (tensor<8x4x4xf32>, tensor<8xf32>, tensor<8x4x4xf32>)
        -> tensor<8x4x4xf32>
    ```
  }];
  let arguments = (ins PulpTrain_Tensor:$input, PulpTrain_Tensor:$gamma,
                       PulpTrain_Tensor:$grad_output,
                       DefaultValuedAttr<F64Attr, "1e-5">:$eps,
                       LayoutArg:$layout);
  let results = (outs PulpTrain_Tensor:$grad_input);
  let assemblyFormat = [{
    $input `,` $gamma `,` $grad_output (`layout` $layout^)? attr-dict `:`
    functional-type(operands, results)
  }];
  let hasVerifier = 1;
}

def PulpTrain_BatchNormWgtGradOp
    : PulpTrain_ComputeOp<"batch_norm_wgt_grad", [Cost]> {
  let summary = "batch normalization in training mode, gamma and beta "
                "gradients";
  let description = [{
    Per channel: `grad_gamma[c] = sum(grad_output * xhat)` and
    `grad_beta[c] = sum(grad_output)` over the batch, with `xhat` the
    forward input normalized by the batch statistics.

    Example:
    ```mlir
    %dg, %db = pulptrain.batch_norm_wgt_grad %x, %dy
        : (tensor<8x4x4xf32>, tensor<8x4x4xf32>) -> (tensor<8xf32>, tensor<8xf32>)
    ```
  }];
  let arguments = (ins PulpTrain_Tensor:$input, PulpTrain_Tensor:$grad_output,
                       DefaultValuedAttr<F64Attr, "1e-5">:$eps,
                       LayoutArg:$layout);
  let results = (outs PulpTrain_Tensor:$grad_gamma,
                      PulpTrain_Tensor:$grad_beta);
  let assemblyFormat = [{
    $input `,` $grad_output (`layout` $layout^)? attr-dict `:`
    functional-type(operands, results)
  }];
  let hasVerifier = 1;
}

def PulpTrain_BatchNormRunningStatsOp
    : PulpTrain_ComputeOp<"batch_norm_running_stats", [Cost]> {
  let summary = "batch normalization, update of the running statistics";
  let description = [{
    The new running statistics of a batch normalization in training mode,
    as PyTorch computes them: with the batch mean `mean_c` and the unbiased
    batch variance `uvar_c` (sum of squared deviations over `N - 1`, `N`
    the number of values per channel),
    `new_mean = (1 - momentum) * running_mean + momentum * mean` and
    `new_var = (1 - momentum) * running_var + momentum * uvar`.
    It has no gradient: the running statistics are training state (step
    arguments and results with `pulptrain.buffer`), not parameters.

    Example:
    ```mlir
    %m, %v = pulptrain.batch_norm_running_stats %x, %rm, %rv
        {momentum = 1.0e-01 : f64}
        : (tensor<8x4x4xf32>, tensor<8xf32>, tensor<8xf32>)
        -> (tensor<8xf32>, tensor<8xf32>)
    ```
  }];
  let arguments = (ins PulpTrain_Tensor:$input,
                       PulpTrain_Tensor:$running_mean,
                       PulpTrain_Tensor:$running_var,
                       DefaultValuedAttr<F64Attr, "0.1">:$momentum,
                       LayoutArg:$layout);
  let results = (outs PulpTrain_Tensor:$new_mean, PulpTrain_Tensor:$new_var);
  let assemblyFormat = [{
    $input `,` $running_mean `,` $running_var (`layout` $layout^)? attr-dict
    `:` functional-type(operands, results)
  }];
  let hasVerifier = 1;
}

//===----------------------------------------------------------------------===//
// Residual add and casts
//===----------------------------------------------------------------------===//

def PulpTrain_AddOp : PulpTrain_ComputeOp<"add", [SameOperandsAndResultType,
                                                  Commutative, Differentiable,
                                                  Cost]> {
  let summary = "element-wise addition (residual connections)";
  let description = [{
    `output = lhs + rhs` element-wise on tensors of one type. Its gradient is
    the output gradient for both operands.

    Example:
    ```mlir
    %r = pulptrain.add %a, %b : tensor<8x4x4xf32>
    ```
  }];
  let arguments = (ins PulpTrain_Tensor:$lhs, PulpTrain_Tensor:$rhs);
  let results = (outs PulpTrain_Tensor:$output);
  let assemblyFormat = "$lhs `,` $rhs attr-dict `:` type($lhs)";
}

def PulpTrain_MulScalarOp
    : PulpTrain_ComputeOp<"mul_scalar", [SameOperandsAndResultType,
                                         Differentiable, Cost]> {
  let summary = "multiplication by a constant scalar";
  let description = [{
    `output = input * scalar` element-wise (PyTorch's `x * 2.0`), computed
    in f32 with the scalar rounded to f32 and the product rounded once to
    the element type, as PyTorch does. Its gradient is the output gradient
    multiplied by the same scalar.

    Example:
    ```mlir
    %y = pulptrain.mul_scalar %x {scalar = 2.0 : f64} : tensor<8x4x4xf32>
    ```
  }];
  let arguments = (ins PulpTrain_Tensor:$input, F64Attr:$scalar);
  let results = (outs PulpTrain_Tensor:$output);
  let assemblyFormat = "$input attr-dict `:` type($input)";
  let hasVerifier = 1;
}

def PulpTrain_AddScalarOp
    : PulpTrain_ComputeOp<"add_scalar", [SameOperandsAndResultType,
                                         Differentiable, Cost]> {
  let summary = "addition of a constant scalar";
  let description = [{
    `output = input + scalar` element-wise (PyTorch's `x + 1.0`, and
    `x - 1.0` with the scalar negated), computed in f32 and rounded once to
    the element type. Its gradient is the output gradient.

    Example:
    ```mlir
    %y = pulptrain.add_scalar %x {scalar = 1.0 : f64} : tensor<8x4x4xf32>
    ```
  }];
  let arguments = (ins PulpTrain_Tensor:$input, F64Attr:$scalar);
  let results = (outs PulpTrain_Tensor:$output);
  let assemblyFormat = "$input attr-dict `:` type($input)";
  let hasVerifier = 1;
}

def PulpTrain_DropoutOp
    : PulpTrain_Op<"dropout", [Pure, AllTypesMatch<["input", "output"]>,
                               Differentiable, Cost]> {
  let summary = "dropout in training mode with a counter-based mask";
  let description = [{
    `output[i] = keep(key, i) ? input[i] * (1 / (1 - p)) : 0`, where `i` is
    the row-major index of the element and `keep` a counter-based
    pseudo-random draw, in 32-bit unsigned arithmetic, with `mix`
    MurmurHash3's 32-bit finalizer:

    ```
    key = mix(seed * 0x85EBCA77 + sample * 0x27D4EB2F)
    h   = mix(i * 0x9E3779B1 + key)
    keep(key, i) = h < round((1 - p) * 2^32)
    ```

    `sample` is the number of the sample the mask is drawn for (the
    optional rank-0 f32 operand, 0 when absent). The training step derived
    by `pulptrain-autodiff` passes `step * B + b` for sample `b` of a
    mini-batch of `B` at training step `step` (its step counter), so every
    sample of every step draws a new mask, as PyTorch's dropout does. The
    draw needs no stored mask: the gradient recomputes it from the same
    `seed` and `sample`, and the golden model (`python/pulptrain/dropout.py`)
    reproduces it bit for bit. `p = 1` drops every element (as PyTorch).

    Example:
    ```mlir
    %y = pulptrain.dropout %x {p = 0.25 : f64, seed = 3 : i64}
        : tensor<64xf32>
    %z = pulptrain.dropout %x sample %n {p = 0.25 : f64, seed = 3 : i64}
        : tensor<64xf16>
    ```
  }];
  let arguments = (ins PulpTrain_Tensor:$input,
                       Optional<PulpTrain_Counter>:$sample, F64Attr:$p,
                       DefaultValuedAttr<I64Attr, "0">:$seed);
  let results = (outs PulpTrain_Tensor:$output);
  let assemblyFormat =
      "$input (`sample` $sample^)? attr-dict `:` type($input)";
  let hasVerifier = 1;
}

def PulpTrain_DropoutGradOp
    : PulpTrain_Op<"dropout_grad", [Pure,
                                    AllTypesMatch<["grad_output",
                                                   "grad_input"]>,
                                    Cost]> {
  let summary = "gradient of dropout";
  let description = [{
    `grad_input[i] = keep(key, i) ? grad_output[i] * (1 / (1 - p)) : 0`
    with the mask of the forward `pulptrain.dropout` of the same `p`,
    `seed` and `sample`, recomputed from the counter.

    Example:
    ```mlir
    %dx = pulptrain.dropout_grad %dy sample %n {p = 0.25 : f64, seed = 3 : i64}
        : tensor<64xf32>
    ```
  }];
  let arguments = (ins PulpTrain_Tensor:$grad_output,
                       Optional<PulpTrain_Counter>:$sample, F64Attr:$p,
                       DefaultValuedAttr<I64Attr, "0">:$seed);
  let results = (outs PulpTrain_Tensor:$grad_input);
  let assemblyFormat =
      "$grad_output (`sample` $sample^)? attr-dict `:` type($grad_output)";
  let hasVerifier = 1;
}

def PulpTrain_CastOp : PulpTrain_Op<"cast", [Pure, SameOperandsAndResultShape,
                                               Differentiable, Cost]> {
  let summary = "element type conversion among f32, f16 and bf16";
  let description = [{
    Converts every element to the result's element type, rounding to
    nearest even when narrowing. A cast to the same type folds away.

    Example:
    ```mlir
    %h = pulptrain.cast %x : tensor<16xf32> to tensor<16xf16>
    ```
  }];
  let arguments = (ins PulpTrain_Tensor:$input);
  let results = (outs PulpTrain_Tensor:$output);
  let assemblyFormat = "$input attr-dict `:` type($input) `to` type($output)";
  let hasFolder = 1;
}

//===----------------------------------------------------------------------===//
// Losses
//===----------------------------------------------------------------------===//

def PulpTrain_MseLossOp : PulpTrain_ComputeOp<"mse_loss", [CostWithMacs]> {
  let summary = "mean squared error loss";
  let description = [{
    `loss = mean((prediction - target)^2)` over all elements, as PyTorch's
    `nn.MSELoss()`; the result is a 0-d tensor.

    Example:
    ```mlir
    %l = pulptrain.mse_loss %y, %t : (tensor<32xf32>, tensor<32xf32>) -> tensor<f32>
    ```
  }];
  let arguments = (ins PulpTrain_Tensor:$prediction, PulpTrain_Tensor:$target);
  let results = (outs PulpTrain_Tensor:$loss);
  let assemblyFormat = [{
    $prediction `,` $target attr-dict `:` functional-type(operands, results)
  }];
  let hasVerifier = 1;
}

def PulpTrain_MseLossGradOp : PulpTrain_ComputeOp<"mse_loss_grad",
                                                  [SameOperandsAndResultType,
                                                   Cost]> {
  let summary = "gradient of the mean squared error loss";
  let description = [{
    `grad_prediction = 2 * (prediction - target) / N` with `N` elements: the
    gradient of `mse_loss` for a loss gradient of 1.

    Example:
    ```mlir
    %dy = pulptrain.mse_loss_grad %y, %t : tensor<32xf32>
    ```
  }];
  let arguments = (ins PulpTrain_Tensor:$prediction, PulpTrain_Tensor:$target);
  let results = (outs PulpTrain_Tensor:$grad_prediction);
  let assemblyFormat = "$prediction `,` $target attr-dict `:` type($prediction)";
}

def PulpTrain_CrossEntropyLossOp
    : PulpTrain_ComputeOp<"cross_entropy_loss", [Cost]> {
  let summary = "softmax cross-entropy loss";
  let description = [{
    `loss = -sum(target * log_softmax(logits))` over a vector of class
    scores, as PyTorch's `nn.CrossEntropyLoss()` with batch 1; `target` holds
    class probabilities (a one-hot vector for a class index). The result is
    a 0-d tensor.

    Example:
    ```mlir
    %l = pulptrain.cross_entropy_loss %logits, %onehot
        : (tensor<10xf32>, tensor<10xf32>) -> tensor<f32>
    ```
  }];
  let arguments = (ins PulpTrain_Tensor:$logits, PulpTrain_Tensor:$target);
  let results = (outs PulpTrain_Tensor:$loss);
  let assemblyFormat = [{
    $logits `,` $target attr-dict `:` functional-type(operands, results)
  }];
  let hasVerifier = 1;
}

def PulpTrain_CrossEntropyLossGradOp
    : PulpTrain_ComputeOp<"cross_entropy_loss_grad",
                          [SameOperandsAndResultType, Cost]> {
  let summary = "gradient of the softmax cross-entropy loss";
  let description = [{
    `grad_logits = softmax(logits) * sum(target) - target`: the gradient of
    `cross_entropy_loss` for a loss gradient of 1.

    Example:
    ```mlir
    %dl = pulptrain.cross_entropy_loss_grad %logits, %onehot : tensor<10xf32>
    ```
  }];
  let arguments = (ins PulpTrain_Tensor:$logits, PulpTrain_Tensor:$target);
  let results = (outs PulpTrain_Tensor:$grad_logits);
  let assemblyFormat = "$logits `,` $target attr-dict `:` type($logits)";
  let hasVerifier = 1;
}

//===----------------------------------------------------------------------===//
// Optimizer
//===----------------------------------------------------------------------===//

def PulpTrain_SgdUpdateOp : PulpTrain_ComputeOp<"sgd_update", [CostWithMacs]> {
  let summary = "stochastic gradient descent step of one parameter";
  let description = [{
    PyTorch's `torch.optim.SGD` step (dampening 0):
    `g = grad + weight_decay * param`; with momentum
    `buf' = momentum * buf + g` and `param' = param - lr * buf'`, otherwise
    `param' = param - lr * g`. With `nesterov` (Nesterov momentum,
    `torch.optim.SGD(..., nesterov=True)`), the step is
    `param' = param - lr * (g + momentum * buf')`; like PyTorch, it needs a
    non-zero `momentum` (and dampening 0, the only dampening of this op).
    A momentum buffer starting at zero gives PyTorch's first step exactly.
    The buffer operand and result are present if and only if `momentum` is
    not zero.

    Example:
    ```mlir
    %w1 = pulptrain.sgd_update %w, %dw {lr = 0.01 : f64}
        : (tensor<32x576xf32>, tensor<32x576xf32>) -> tensor<32x576xf32>
    %w2, %m2 = pulptrain.sgd_update %w, %dw, %m
        {lr = 0.01 : f64, momentum = 0.9 : f64, weight_decay = 1.0e-4 : f64}
        : (tensor<16xf32>, tensor<16xf32>, tensor<16xf32>)
        -> (tensor<16xf32>, tensor<16xf32>)
    %w3, %m3 = pulptrain.sgd_update %w, %dw, %m
        {lr = 0.01 : f64, momentum = 0.9 : f64, nesterov = true}
        : (tensor<16xf32>, tensor<16xf32>, tensor<16xf32>)
        -> (tensor<16xf32>, tensor<16xf32>)
    ```
  }];
  let arguments = (ins PulpTrain_Tensor:$param, PulpTrain_Tensor:$grad,
                       Optional<PulpTrain_Tensor>:$momentum_buffer,
                       F64Attr:$lr,
                       DefaultValuedAttr<F64Attr, "0.0">:$momentum,
                       DefaultValuedAttr<F64Attr, "0.0">:$weight_decay,
                       DefaultValuedAttr<BoolAttr, "false">:$nesterov);
  let results = (outs PulpTrain_Tensor:$new_param,
                      Optional<PulpTrain_Tensor>:$new_momentum_buffer);
  let assemblyFormat = [{
    $param `,` $grad (`,` $momentum_buffer^)? attr-dict `:`
    functional-type(operands, results)
  }];
  let hasVerifier = 1;
}

def PulpTrain_AdamUpdateOp
    : PulpTrain_Op<"adam_update", [Pure, CostWithMacs]> {
  let summary = "Adam step of one parameter";
  let description = [{
    PyTorch's `torch.optim.Adam` step (`amsgrad=False`, `maximize=False`),
    in the order of its single-tensor implementation
    (`torch/optim/adam.py`, `_single_tensor_adam`, PyTorch 1.13), for step
    number `step` (a rank-0 f32 tensor holding `t >= 1`, the number of this
    update: PyTorch's `state['step']` after its increment):

    ```
    g     = grad + weight_decay * param
    m'    = m * beta1 + (1 - beta1) * g
    v'    = v * beta2 + (1 - beta2) * g * g
    step_size  = lr / (1 - beta1^t)              (f64, as Python's floats)
    bc2_sqrt   = sqrt(1 - beta2^t)               (f64)
    param' = param - step_size * (m' / (sqrt(v') / bc2_sqrt + eps))
    ```

    The two scalars are computed once per op in f64 and rounded to f32, as
    PyTorch computes them in Python floats; the element-wise part computes
    in f32 and rounds each result once to its element type. The moments
    `exp_avg` (m) and `exp_avg_sq` (v) have the parameter's shape, the
    parameter's element type or f32 (what `pulptrain-autodiff` gives them:
    in f16, `(1 - beta2) * g * g` underflows for `|g|` below about 8e-3),
    and start at zero, which gives PyTorch's first step.

    Example:
    ```mlir
    %w1, %m1, %v1 = pulptrain.adam_update %w, %dw, %m, %v, %t
        {lr = 1.0e-3 : f64, beta1 = 0.9 : f64, beta2 = 0.999 : f64,
         eps = 1.0e-8 : f64, weight_decay = 0.0 : f64}
        : (tensor<16xf32>, tensor<16xf32>, tensor<16xf32>, tensor<16xf32>,
           tensor<f32>) -> (tensor<16xf32>, tensor<16xf32>, tensor<16xf32>)
    ```
  }];
  let arguments = (ins PulpTrain_Tensor:$param, PulpTrain_Tensor:$grad,
                       PulpTrain_Tensor:$exp_avg, PulpTrain_Tensor:$exp_avg_sq,
                       PulpTrain_Tensor:$step,
                       F64Attr:$lr,
                       DefaultValuedAttr<F64Attr, "0.9">:$beta1,
                       DefaultValuedAttr<F64Attr, "0.999">:$beta2,
                       DefaultValuedAttr<F64Attr, "1e-8">:$eps,
                       DefaultValuedAttr<F64Attr, "0.0">:$weight_decay);
  let results = (outs PulpTrain_Tensor:$new_param,
                      PulpTrain_Tensor:$new_exp_avg,
                      PulpTrain_Tensor:$new_exp_avg_sq);
  let assemblyFormat = [{
    $param `,` $grad `,` $exp_avg `,` $exp_avg_sq `,` $step attr-dict `:`
    functional-type(operands, results)
  }];
  let hasVerifier = 1;
}

#endif // PULPTRAIN_DIALECT_PULPTRAIN_IR_PULPTRAINOPS_TD
