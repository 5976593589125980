// Real model files shared by the project, outside the repository: ../shared/fixtures/ (read-only;
// their provenance is in its README files).
import { fileURLToPath } from 'node:url';

/** Absolute path of ../shared/fixtures/<rel>, relative to the repository's root. */
export function fixturePath(rel: string): string {
  return fileURLToPath(new URL(`../../../shared/fixtures/${rel}`, import.meta.url));
}

/** `file://` URL of a fixture, as km.loadModel takes it. */
export function fixture(rel: string): string {
  return `file://${fixturePath(rel)}`;
}
