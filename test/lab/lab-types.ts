// Types of what examples/lab.mjs returns (it is plain JS), for the lab tests.
import type { Diagnosis } from '../../src/index.js';

export interface LabOptions {
  variants?: string[];
  train?: number;
  val?: number;
  epochs?: number;
  units?: number;
  batch?: number;
  seed?: number;
  verbose?: 0 | 1 | 2;
  out?: string | null;
  figure?: string | null;
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

export interface Lab {
  results: LabResult[];
  skipped: { id: string; missing: string[] }[];
  meta: Record<string, unknown>;
  html: string | null;
  reportPath?: string;
}
