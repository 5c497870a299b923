import { collectDefaultMetrics, Registry } from 'prom-client';

/** A Prometheus registry of a service's own (no global default registry), with Node's default metrics. */
export function createMetricsRegistry(service: string): Registry {
  const registry = new Registry();
  registry.setDefaultLabels({ service });
  collectDefaultMetrics({ register: registry });
  return registry;
}
