// Re-exports of the f32-optim family (owned by its author; see assembly/index.ts).
export function f32_optim_placeholder(): void {}
