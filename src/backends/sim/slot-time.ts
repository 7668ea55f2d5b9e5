/** A model's slot-time integrals over virtual time: utilization = busy / available. */
export class SlotTime {
  /** ∫ (attempts in service) dt, slot·ms. */
  busy = 0;
  /** ∫ slots dt, slot·ms. */
  available = 0;

  /** Virtual time accounted up to (read it to skip a call that would add nothing). */
  get last(): number {
    return this.lastT;
  }

  constructor(private lastT: number) {}

  /** Account for [last, now) with `running` in service over `slots` slots (constant since the last call). */
  advance(now: number, running: number, slots: number): void {
    const dt = now - this.lastT;
    if (dt > 0) {
      this.busy += dt * running;
      this.available += dt * slots;
      this.lastT = now;
    }
  }
}
