// file-system.ts for browser and Worker bundles (package.json "browser" field): no node: imports.
import { KerasmError } from '../errors.js';
import type * as node from './file-system.js';
import type { ModelArtifacts, SaveResult } from './types.js';

function unavailable(): Promise<never> {
  return Promise.reject(new KerasmError('file:// paths need a file system (Node, Deno, Bun). Here save and load through an IO handler (km.io.withSaveHandler, km.io.fromMemory) or http(s)://.'));
}

/** No file system in this runtime: both calls reject with a KerasmError. */
export const fileSystem: typeof node.fileSystem = () => ({
  save: (_artifacts: ModelArtifacts): Promise<SaveResult> => unavailable(),
  load: (): Promise<ModelArtifacts> => unavailable(),
});

/** No file system in this runtime. */
export const readFileBytes: typeof node.readFileBytes = () => unavailable();
export const writeFileBytes: typeof node.writeFileBytes = () => unavailable();
