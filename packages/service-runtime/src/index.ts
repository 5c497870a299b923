export { type HealthRoutesOptions, type ReadinessCheck, registerHealthRoutes } from './health-routes.js';
export { createMetricsRegistry } from './metrics-registry.js';
export { type RunningService, runService } from './run-service.js';
