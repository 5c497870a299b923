-- Delivery diagnostics (issue 15): nothing stays silently pending.
-- A message being retried shows its last error ({code?, title, at}); retrying_since starts the
-- retry budget (DELIVERY_RETRY_BUDGET_MS) at its first failure.
ALTER TABLE "messages" ADD COLUMN "last_error" JSONB;
ALTER TABLE "messages" ADD COLUMN "retrying_since" TIMESTAMPTZ(3);

-- Health of the bot's outside calls as the worker last saw them (GET /api/bots/:id `health`).
CREATE TYPE "HealthStatus" AS ENUM ('ok', 'unreachable', 'error');
ALTER TABLE "bots" ADD COLUMN "llm_status" "HealthStatus";
ALTER TABLE "bots" ADD COLUMN "llm_error" JSONB;
ALTER TABLE "bots" ADD COLUMN "llm_status_at" TIMESTAMPTZ(3);
ALTER TABLE "bots" ADD COLUMN "graph_status" "HealthStatus";
ALTER TABLE "bots" ADD COLUMN "graph_error" JSONB;
ALTER TABLE "bots" ADD COLUMN "graph_status_at" TIMESTAMPTZ(3);

-- Meta refused a send with 131047 (the 24-hour window is closed) at this time: the window shows
-- closed until a newer inbound message.
ALTER TABLE "conversations" ADD COLUMN "window_closed_at" TIMESTAMPTZ(3);
