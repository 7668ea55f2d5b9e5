/**
 * The kinds of the run's engine events. The Driver is the run's one engine target (one call shape for the
 * engine's dispatch, beside the backends') and hands each kind to the module that owns it.
 */
export const K_ARRIVAL = 0;
export const K_RETRY = 1;
export const K_PROBE = 2;
export const K_EJECT_END = 3;
export const K_TIMELINE = 4;
export const K_REFRESH = 5;
export const K_SAMPLE = 6;
export const K_ATTEMPT_TIMEOUT = 7;
export const K_CLIENT_TIMEOUT = 8;
