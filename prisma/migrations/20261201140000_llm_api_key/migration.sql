-- Issue #16: a bot's own LLM provider key (write-only, AES-256-GCM like the other credentials)
-- and the token usage of each engine turn on its outbound messages.
ALTER TABLE "bots" ADD COLUMN "llm_api_key_cipher" TEXT;
ALTER TABLE "bots" ADD COLUMN "llm_api_key_hint" TEXT;
ALTER TABLE "messages" ADD COLUMN "usage" JSONB;
