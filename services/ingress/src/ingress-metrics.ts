import { Counter, Gauge, Histogram, type Registry } from 'prom-client';

/** What happened to one webhook POST. */
export type NotificationOutcome =
  | 'accepted'
  | 'bad_signature'
  | 'unknown_bot'
  | 'inactive_bot'
  | 'bad_input'
  | 'unavailable';

/** What happened to one verification handshake (GET). */
export type VerificationOutcome = 'verified' | 'rejected' | 'unknown_bot' | 'inactive_bot' | 'unavailable';

const notificationOutcomes: NotificationOutcome[] = [
  'accepted',
  'bad_signature',
  'unknown_bot',
  'inactive_bot',
  'bad_input',
  'unavailable',
];
const verificationOutcomes: VerificationOutcome[] = [
  'verified',
  'rejected',
  'unknown_bot',
  'inactive_bot',
  'unavailable',
];

export interface IngressMetrics {
  /** Counts one POST and observes its time to answer, in seconds. */
  notification(outcome: NotificationOutcome, seconds: number): void;
  verification(outcome: VerificationOutcome): void;
  enqueueFailure(): void;
  /** Observes how many webhooks one Redis write carried (group commit). */
  batchWritten(events: number): void;
}

/**
 * The ingress's Prometheus series, registered on `registry`. Label children are resolved once so
 * the request path only increments.
 */
export function createIngressMetrics(registry: Registry, databaseLookups: () => number): IngressMetrics {
  const requests = new Counter({
    name: 'ingress_webhook_requests_total',
    help: 'Webhook POSTs by outcome',
    labelNames: ['outcome'],
    registers: [registry],
  });
  const ackSeconds = new Histogram({
    name: 'ingress_webhook_ack_seconds',
    help: 'Time from request start to the answer of a webhook POST, by outcome',
    labelNames: ['outcome'],
    buckets: [0.0005, 0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5],
    registers: [registry],
  });
  const verifications = new Counter({
    name: 'ingress_webhook_verifications_total',
    help: 'Verification handshakes (GET) by outcome',
    labelNames: ['outcome'],
    registers: [registry],
  });
  const enqueueFailures = new Counter({
    name: 'ingress_enqueue_failures_total',
    help: 'Verified webhooks that could not be stored in Redis (answered 503)',
    registers: [registry],
  });
  const batchEvents = new Histogram({
    name: 'ingress_enqueue_batch_events',
    help: 'Webhooks per Redis write (group commit: one BullMQ job holds every webhook that arrived during the previous write)',
    buckets: [1, 2, 5, 10, 20, 50, 100],
    registers: [registry],
  });
  new Gauge({
    name: 'ingress_bot_database_lookups',
    help: 'Bot lookups that missed the in-memory cache and went to PostgreSQL, since start',
    registers: [registry],
    collect() {
      this.set(databaseLookups());
    },
  });

  const requestChildren = new Map(notificationOutcomes.map((o) => [o, requests.labels(o)]));
  const ackChildren = new Map(notificationOutcomes.map((o) => [o, ackSeconds.labels(o)]));
  const verificationChildren = new Map(verificationOutcomes.map((o) => [o, verifications.labels(o)]));

  return {
    notification(outcome, seconds) {
      requestChildren.get(outcome)?.inc();
      ackChildren.get(outcome)?.observe(seconds);
    },
    verification(outcome) {
      verificationChildren.get(outcome)?.inc();
    },
    enqueueFailure() {
      enqueueFailures.inc();
    },
    batchWritten(events) {
      batchEvents.observe(events);
    },
  };
}
