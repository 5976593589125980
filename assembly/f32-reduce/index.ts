// Re-exports of the f32-reduce family (owned by its author; see assembly/index.ts).
export function f32_reduce_placeholder(): void {}
