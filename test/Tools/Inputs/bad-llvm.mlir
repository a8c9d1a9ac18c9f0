llvm.func @f(%a: f32) -> f32 {
  llvm.return %b : f32
}
