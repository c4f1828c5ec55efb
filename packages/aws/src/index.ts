/** `@pipewright/aws`: AWS adapters and Lambda entry points. Explicit named re-exports only. */
export {};
