/**
 * A compute device shared by several simulated models whose steps cannot overlap: llama.cpp models served
 * by one node-llama-cpp runtime share its thread budget (on a CPU with one thread, a model's decode step
 * waits for the other model's to finish; measured on CPU: one model's request 3.4× slower while another
 * decodes). Steps are served in the order they are asked for (FIFO), one at a time.
 */
export class SharedDevice {
  private freeAt = 0;

  /** A step of `dur` ms asked for at `now`: the time it ends (it starts when the device is free). */
  reserve(now: number, dur: number): number {
    const start = Math.max(this.freeAt, now);
    this.freeAt = start + dur;
    return this.freeAt;
  }
}

/** The devices of one run, by name (ModelSpec.device). */
export type DeviceMap = Map<string, SharedDevice>;

/** The named device of `devices`, created on first use. */
export function deviceFor(devices: DeviceMap, name: string): SharedDevice {
  let d = devices.get(name);
  if (d === undefined) {
    d = new SharedDevice();
    devices.set(name, d);
  }
  return d;
}
