// Re-exports of the f32-vunary family (owned by its author; see assembly/index.ts).
export function f32_vunary_placeholder(): void {}
