  .text
