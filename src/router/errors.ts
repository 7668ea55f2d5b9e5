/**
 * RoutingConfigError: a routing configuration that cannot work. Thrown at construction or setConfig(), never
 * on the hot path. `field` is the config path (e.g. `ab_test.split`, `strategy_options.weights.load`) so a
 * scenario loader can point at the offending YAML key.
 */
export class RoutingConfigError extends Error {
  readonly field: string;
  constructor(field: string, message: string) {
    super(message);
    this.name = 'RoutingConfigError';
    this.field = field;
  }
}
