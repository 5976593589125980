// TerminateOnNaN (Keras 3: keras/src/callbacks/terminate_on_nan.py): stop training at the first
// batch whose loss is NaN or ±Inf. kerasm's fit shows the non-finite loss to the batch hooks
// before rejecting; with this callback it stops gracefully instead (onEpochEnd and onTrainEnd
// still run), the weights being those of the last completed step.
import { KerasmError, checkOptions, invalidArgument } from '../errors.js';
import { Callback } from './callback.js';
import type { Logs } from './callback.js';

/** Options of {@link TerminateOnNaN}. */
export interface TerminateOnNaNArgs {
  /** Throw a KerasmError at once instead of stopping gracefully (Keras `raise_error`). Default false. */
  raiseError?: boolean;
}

/** Terminates training when a NaN or infinite loss is met. Keras: `keras.callbacks.TerminateOnNaN`. */
export class TerminateOnNaN extends Callback {
  /** Whether a non-finite loss throws instead of stopping gracefully. */
  readonly raiseError: boolean;
  constructor(args: TerminateOnNaNArgs = {}) {
    super();
    checkOptions(args, ['raiseError'], 'TerminateOnNaN', false);
    this.raiseError = args.raiseError ?? false;
    if (typeof this.raiseError !== 'boolean') throw invalidArgument('raiseError', 'a boolean', args.raiseError);
  }
  /** Stop training (or throw, with `raiseError`) when the batch loss is NaN or infinite. */
  onBatchEnd(batch: number, logs?: Logs): void {
    const loss = logs?.loss;
    if (loss === undefined || Number.isFinite(loss)) return;
    if (this.raiseError) throw new KerasmError(`NaN or Inf loss encountered at batch ${batch}. Loss value: ${loss}. Terminating training immediately.`);
    console.log(`Batch ${batch}: Invalid loss, terminating training`);
    this.model!.stopTraining = true;
  }
}
