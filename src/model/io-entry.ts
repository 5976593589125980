// Everything behind the core's saving and loading calls, as one lazily loaded module: model.save,
// model.saveWeights, model.loadWeights, km.loadModel and km.modelFromJSON import it on first use
// (one dynamic entry keeps the core a single shared chunk; docs/design.md, "Size budget").
export { loadModelWeights } from '../io/restore.js';
export { saveModel, saveModelWeights } from '../io/save.js';
export { loadModel, modelFromJSON } from './load.js';
export { fileSystem } from '../io/file-system.js';
export { http } from '../io/http.js';
