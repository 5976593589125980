// LearningRateScheduler (Keras 3: keras/src/callbacks/learning_rate_scheduler.py): at the start
// of every epoch, set the learning rate to schedule(epoch, currentLearningRate).
import { KerasmError, invalidArgument } from '../errors.js';
import { Callback } from './callback.js';
import type { Logs } from './callback.js';

/**
 * The function a {@link LearningRateScheduler} calls before each epoch: the epoch (from 0) and the current rate
 * in, the new rate out (a finite number ≥ 0).
 */
export type EpochSchedule = (epoch: number, learningRate: number) => number;

/** Sets the learning rate from `schedule(epoch, lr)` before each epoch. Keras: `keras.callbacks.LearningRateScheduler`. */
export class LearningRateScheduler extends Callback {
  /** The schedule function. */
  readonly schedule: EpochSchedule;
  /** 0 quiet, 1 prints each new rate. */
  readonly verbose: 0 | 1;
  constructor(schedule: EpochSchedule, verbose: 0 | 1 = 0) {
    super();
    if (typeof schedule !== 'function') throw invalidArgument('schedule', 'a function (epoch, lr) => lr', schedule);
    if (verbose !== 0 && verbose !== 1) throw invalidArgument('verbose', '0 or 1', verbose);
    this.schedule = schedule;
    this.verbose = verbose;
  }

  private get optimizer() {
    const opt = this.model?.optimizer;
    if (opt === undefined || opt === null) throw new KerasmError('LearningRateScheduler needs a compiled model (its optimizer holds the learning rate).');
    return opt;
  }

  /** Set the optimizer's learning rate to `schedule(epoch, lr)`. */
  onEpochBegin(epoch: number): void {
    const opt = this.optimizer;
    const lr = this.schedule(epoch, opt.learningRate);
    if (typeof lr !== 'number' || !Number.isFinite(lr) || lr < 0) {
      throw invalidArgument('schedule', `a function returning a non-negative finite number (epoch ${epoch})`, lr);
    }
    opt.learningRate = lr;
    if (this.verbose > 0) console.log(`\nEpoch ${epoch + 1}: LearningRateScheduler setting learning rate to ${lr}.`);
  }

  /** Add `learning_rate` to the epoch's logs (so it reaches the History). */
  onEpochEnd(_epoch: number, logs?: Logs): void {
    if (logs !== undefined) logs.learning_rate = this.optimizer.learningRate;
  }
}
