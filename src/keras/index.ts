/**
 * `kerasm/keras`: Keras's own files — `.keras` (Keras 3), `.h5` (legacy HDF5) and `.weights.h5` — read and
 * written with fflate (zip) and h5wasm (HDF5). `km.loadModel` and `model.save` load this entry on first use of
 * such a file, so the core package does not carry it; import it directly to convert bytes without a model.
 * @module kerasm/keras
 */
export { readKerasFile, isHdf5, trainingConfigFromCompileConfig } from './read.js';
export { keras3Config, writeDotKeras, writeLegacyH5, writeWeightsH5, KERAS3_LAYOUT, LEGACY_H5_LAYOUT } from './write.js';
export { keyedLayers, toSnakeCase, weightLayout, WEIGHT_LAYOUTS } from './names.js';
export type { KeyedLayer, WeightLayout } from './names.js';
export { isZip } from './zip.js';
export type { JsonObject } from '../io/json.js';
