/**
 * A simulated model that serves in engine steps (continuous batching, the vLLM engine): one EV_STEP event
 * per step, whose arg is the step's generation. What a hang or a crash does to the step in progress is the
 * same for every such model, so it lives here: a stall keeps what was left of the step and stales its
 * event (pause), the end of the stall schedules that remainder (resume), a crash drops it (cancelStep).
 * Subclasses start steps in beginStep() and end them on EV_STEP when the arg is still stepGen.
 */
import { SimModel } from './model.js';
import { EV_STEP } from './model-stats.js';

export abstract class SteppedModel extends SimModel {
  /** A step is in progress (its EV_STEP pending, or held by a stall). */
  protected stepping = false;
  /** The EV_STEP arg of the step in progress: changes when a hang or crash makes that event stale. */
  protected stepGen = 0;
  /** When the step in progress ends, and (while stalled) the time it had left at the stall. */
  protected stepEnd = 0;
  protected stepLeft = 0;

  /** Start the next step if there is work (and the model is neither stalled nor down). */
  protected abstract beginStep(): void;

  /** The step in progress is dropped (a crash): its pending event goes stale. */
  protected cancelStep(): void {
    this.stepGen++;
    this.stepping = false;
  }

  protected pause(): void {
    if (!this.stepping) return;
    this.stepGen++;
    this.stepLeft = this.stepEnd - this.engine.now();
  }

  protected resume(): void {
    if (!this.stepping) {
      this.beginStep();
      return;
    }
    this.stepEnd = this.engine.now() + this.stepLeft;
    this.engine.scheduleAt(this.stepEnd, this.target, EV_STEP, this.stepGen);
  }
}
