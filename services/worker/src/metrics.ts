import { Counter, Gauge, Histogram, type Registry } from 'prom-client';

export interface WorkerMetrics {
  /** Graph sends (text, template, read) by outcome (`sent`, or the error category) and Meta error code. */
  readonly sends: Counter<'operation' | 'outcome' | 'code'>;
  /** In-process retries of retryable Graph errors. */
  readonly graphRetries: Counter<'operation'>;
  readonly graphLatency: Histogram<'operation' | 'outcome'>;
  /** Jobs finished, by queue and outcome (completed, failed, delayed). */
  readonly jobs: Counter<'queue' | 'outcome'>;
  /** Inbound messages by what happened to them. */
  readonly inbound: Counter<'outcome'>;
  readonly engineLatency: Histogram<'engine' | 'outcome'>;
  /** LLM tokens by bot, model and kind (input, output), as the provider reported them. */
  readonly llmTokens: Counter<'bot' | 'model' | 'kind'>;
  /** Jobs in BullMQ's failed set (dead letters), refreshed on scrape. */
  readonly deadLetters: Gauge<'queue'>;
  /** Turns by outcome: answered, or superseded by a newer message while generating. */
  readonly turns: Counter<'outcome'>;
  /** Inbound messages answered together per turn. */
  readonly turnMessages: Histogram;
  /** In-process retries of stage-1 jobs, by shard (each one delays only its shard). */
  readonly stage1Retries: Counter<'shard'>;
  /**
   * Shard → when the stage-1 job now retrying in this process first started (epoch ms), for
   * `wabot_worker_stage1_oldest_retry_age_seconds`; the stage-1 pool sets and deletes entries.
   */
  readonly stage1RetryingSince: Map<string, number>;
  readonly stage1RetryAge: Gauge<'shard'>;
  /**
   * Messages and statuses posted to one bot's URL for another phone number: `routed` to the
   * workspace's bot of that number, or `unroutable` (no such bot, or its app secret does not
   * verify the signature) and dropped.
   */
  readonly foreignNumberEvents: Counter<'outcome'>;
  /** Reply parts not sent because their conversation was handed to a person first. */
  readonly handoffCancelledParts: Counter;
  /** Handoffs and resumes the worker made, by trigger (keyword, business_app_reply, action, auto_resume). */
  readonly controlChanges: Counter<'trigger'>;
  /** Inbound media files by kind and outcome (stored, or why not), and understanding steps (transcribed, ...). */
  readonly media: Counter<'kind' | 'outcome'>;
  /**
   * Parts found in flight at a crash: `status_seen` (a status webhook named the part: recorded,
   * not sent again) or `resent` (none came within SEND_IN_FLIGHT_WAIT_MS).
   */
  readonly inFlightSends: Counter<'outcome'>;
  /** Jobs held briefly because a dependency (PostgreSQL, Redis, Graph API, LLM) was unreachable, by dependency. */
  readonly outageHolds: Counter<'dependency'>;
  /** Coexistence history messages stored (inserted, or a media placeholder filled in). */
  readonly historyImported: Counter;
  /** `handoff.waiting` alerts raised (once per handoff, fleet-wide). */
  readonly handoffWaitingAlerts: Counter;
  /** Resume jobs scheduled again by the sweep for conversations past their resume time. */
  readonly resumesSwept: Counter;
}

/**
 * The worker's Prometheus metrics on `registry`. `countDeadLetters` is called on every scrape to
 * report the size of each queue's failed set.
 */
export function createWorkerMetrics(
  registry: Registry,
  countDeadLetters: () => Promise<Record<string, number>> = async () => ({}),
): WorkerMetrics {
  const stage1RetryingSince = new Map<string, number>();
  return {
    media: new Counter({
      name: 'wabot_worker_inbound_media_total',
      help: 'Inbound media files fetched and stored, or why not, and what the understanding steps did, by kind',
      labelNames: ['kind', 'outcome'],
      registers: [registry],
    }),
    inFlightSends: new Counter({
      name: 'wabot_worker_in_flight_sends_total',
      help: 'Reply parts found in flight at a crash: recorded from their status webhook, or sent again',
      labelNames: ['outcome'],
      registers: [registry],
    }),
    outageHolds: new Counter({
      name: 'wabot_worker_outage_holds_total',
      help: 'Jobs held for a short, capped back-off because a dependency was unreachable',
      labelNames: ['dependency'],
      registers: [registry],
    }),
    handoffCancelledParts: new Counter({
      name: 'wabot_worker_handoff_cancelled_parts_total',
      help: 'Reply parts not sent because their conversation was handed to a person before the send',
      registers: [registry],
    }),
    controlChanges: new Counter({
      name: 'wabot_worker_control_changes_total',
      help: 'Conversations handed to a person or given back to the bot by the worker, by trigger',
      labelNames: ['trigger'],
      registers: [registry],
    }),
    historyImported: new Counter({
      name: 'wabot_worker_history_messages_imported_total',
      help: 'Coexistence history messages stored as an archive (never answered)',
      registers: [registry],
    }),
    handoffWaitingAlerts: new Counter({
      name: 'wabot_worker_handoff_waiting_alerts_total',
      help: 'Unassigned handoffs past their bot threshold (handoff.waiting raised, once per handoff)',
      registers: [registry],
    }),
    resumesSwept: new Counter({
      name: 'wabot_worker_resumes_swept_total',
      help: 'Resume jobs scheduled again for conversations still a person’s past their resume time',
      registers: [registry],
    }),
    sends: new Counter({
      name: 'wabot_worker_graph_sends_total',
      help: 'Graph API calls by operation, outcome and Meta error code',
      labelNames: ['operation', 'outcome', 'code'],
      registers: [registry],
    }),
    graphRetries: new Counter({
      name: 'wabot_worker_graph_retries_total',
      help: 'In-process retries of retryable Graph API errors',
      labelNames: ['operation'],
      registers: [registry],
    }),
    graphLatency: new Histogram({
      name: 'wabot_worker_graph_latency_seconds',
      help: 'Graph API call latency',
      labelNames: ['operation', 'outcome'],
      buckets: [0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10],
      registers: [registry],
    }),
    jobs: new Counter({
      name: 'wabot_worker_jobs_total',
      help: 'Jobs processed by queue and outcome',
      labelNames: ['queue', 'outcome'],
      registers: [registry],
    }),
    inbound: new Counter({
      name: 'wabot_worker_inbound_messages_total',
      help: 'Inbound messages by outcome (replied, duplicate, not_replyable, ...)',
      labelNames: ['outcome'],
      registers: [registry],
    }),
    engineLatency: new Histogram({
      name: 'wabot_worker_engine_latency_seconds',
      help: 'Bot engine (LLM) latency',
      labelNames: ['engine', 'outcome'],
      buckets: [0.05, 0.1, 0.25, 0.5, 1, 2, 5, 10, 30, 60],
      registers: [registry],
    }),
    llmTokens: new Counter({
      name: 'wabot_llm_tokens_total',
      help: 'LLM tokens used by bot, model and kind (input, output)',
      labelNames: ['bot', 'model', 'kind'],
      registers: [registry],
    }),
    deadLetters: new Gauge({
      name: 'wabot_worker_dead_letter_jobs',
      help: 'Jobs that exhausted their attempts (BullMQ failed set), by queue',
      labelNames: ['queue'],
      registers: [registry],
      async collect() {
        try {
          const counts = await countDeadLetters();
          for (const [queue, count] of Object.entries(counts)) this.set({ queue }, count);
        } catch {
          // Redis unreachable: /readyz reports it; keep the last values.
        }
      },
    }),
    turns: new Counter({
      name: 'wabot_worker_turns_total',
      help: 'Engine turns by outcome (answered, superseded by a newer message while generating)',
      labelNames: ['outcome'],
      registers: [registry],
    }),
    turnMessages: new Histogram({
      name: 'wabot_worker_turn_messages',
      help: 'Inbound messages answered together by one turn',
      buckets: [1, 2, 3, 4, 6, 10, 20, 50],
      registers: [registry],
    }),
    stage1Retries: new Counter({
      name: 'wabot_worker_stage1_retries_total',
      help: 'In-process retries of failing stage-1 (webhook) jobs, by shard; the shard waits meanwhile',
      labelNames: ['shard'],
      registers: [registry],
    }),
    stage1RetryingSince,
    foreignNumberEvents: new Counter({
      name: 'wabot_worker_foreign_number_events_total',
      help: "Events posted to a bot's URL for another phone number: routed to that number's bot of the workspace, or unroutable (dropped)",
      labelNames: ['outcome'],
      registers: [registry],
    }),
    stage1RetryAge: new Gauge({
      name: 'wabot_worker_stage1_oldest_retry_age_seconds',
      help: 'Age of the stage-1 job retrying in this process, by shard (absent when none is)',
      labelNames: ['shard'],
      registers: [registry],
      collect() {
        this.reset();
        const now = Date.now();
        for (const [shard, since] of stage1RetryingSince) this.set({ shard }, (now - since) / 1000);
      },
    }),
  };
}
