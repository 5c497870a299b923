export { buildApp, type IngressApp, type IngressAppDeps } from './app.js';
export { type IngressConfig, ingressConfigSchema, loadIngressConfig } from './config.js';
export {
  createIngressMetrics,
  type IngressMetrics,
  type NotificationOutcome,
  type VerificationOutcome,
} from './ingress-metrics.js';
export { type WebhookRoutesOptions, webhookRoutes } from './routes/webhook-routes.js';
export { createWebhookProducer, type WebhookProducer } from './webhook-producer.js';
