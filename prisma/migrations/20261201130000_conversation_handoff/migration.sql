-- Handoff (issue #16, the engine's `handoff` action; the takeover issue #17 builds on it): who
-- answers the conversation, and why and when it was handed to a person. The bot's later parts of
-- a reply that handed over are not sent.
CREATE TYPE "ConversationControl" AS ENUM ('bot', 'human');

ALTER TABLE "conversations"
    ADD COLUMN "control" "ConversationControl" NOT NULL DEFAULT 'bot',
    ADD COLUMN "handoff_reason" TEXT,
    ADD COLUMN "handoff_summary" TEXT,
    ADD COLUMN "handed_off_at" TIMESTAMPTZ(3);
