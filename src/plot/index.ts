// km.plot: learning curves and weight histograms as self-contained SVG strings (no DOM needed).
export { learningCurves } from './learning-curves.js';
export type { LearningCurvesOptions } from './learning-curves.js';
export { weightHistogram, binWeights } from './weight-histogram.js';
export type { WeightHistogramOptions, WeightSource, WeightBins } from './weight-histogram.js';
export type { HistoryLike } from './history.js';
