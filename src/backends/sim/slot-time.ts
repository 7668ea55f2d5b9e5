/** A model's slot-time integrals over virtual time: utilization = busy / available. */
export class SlotTime {
  /** ∫ (attempts in service) dt, slot·ms. */
  busy = 0;
  /** ∫ slots dt, slot·ms. */
  available = 0;

  constructor(private last: number) {}

  /** Account for [last, now) with `running` in service over `slots` slots (constant since the last call). */
  advance(now: number, running: number, slots: number): void {
    const dt = now - this.last;
    if (dt > 0) {
      this.busy += dt * running;
      this.available += dt * slots;
      this.last = now;
    }
  }
}
