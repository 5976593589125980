// Types of what examples/lab.mjs returns (it is plain JS), for the lab tests.
import type { Diagnosis } from '../../src/index.js';

export interface LabOptions {
  chapters?: ('mlp' | 'images' | 'text')[];
  variants?: string[];
  imageVariants?: string[];
  imageEpochs?: number;
  textVariants?: string[];
  textEpochs?: number;
  textTrain?: number;
  textVal?: number;
  textTest?: number;
  train?: number;
  val?: number;
  epochs?: number;
  units?: number;
  batch?: number;
  seed?: number;
  verbose?: 0 | 1 | 2;
  out?: string | null;
  figure?: string | null;
  imageFigure?: string | null;
  textFigure?: string | null;
  log?: (line: string) => void;
}

export interface LabResult {
  id: string;
  label: string;
  trainAcc: number;
  testAcc: number;
  gap: number;
  trainLoss: number;
  testLoss: number;
  norm: number;
  zeroFraction: number;
  epochs: number;
  seconds: number;
  diagnosis: Diagnosis;
  history: { epoch: number[]; history: Record<string, number[]> };
  /** Kernel copies, layer order: the first is [784, units]. */
  kernels: { data: Float32Array; shape: number[] }[];
}

/** The image chapter's augmented digits: row 0 the originals, then augmented copies ([n, 28, 28, 1] each). */
export interface Samples {
  labels: number[];
  rows: Float32Array[];
  count: number;
}

export interface ImageChapter {
  results: LabResult[];
  skipped: { id: string; missing: string[] }[];
  meta: Record<string, unknown>;
  samples: Samples | null;
}

export interface TextChapter {
  results: LabResult[];
  skipped: { id: string; missing: string[] }[];
  meta: Record<string, unknown>;
}

export interface Lab {
  /** The MLP chapter's variants (empty when it did not run). */
  results: LabResult[];
  skipped: { id: string; missing: string[] }[];
  meta: Record<string, unknown>;
  images: ImageChapter | null;
  /** The text chapter (null when it did not run). */
  text: TextChapter | null;
  html: string | null;
  reportPath?: string;
}
