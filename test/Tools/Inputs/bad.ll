define float @f(float %a) {
  ret float %nope
}
