-- Human takeover (issue #17): who was assigned a handed-over conversation, when the bot takes it
-- back on its own, and who wrote each message (the bot, an operator through the API, or the
-- business from the WhatsApp Business app). A reply part is claimed (sending_at) in the statement
-- that checks the conversation is still the bot's, right before its Graph send.
CREATE TYPE "MessageAuthor" AS ENUM ('user', 'bot', 'operator', 'business_app');

ALTER TABLE "conversations"
    ADD COLUMN "assignee" TEXT,
    ADD COLUMN "resume_at" TIMESTAMPTZ(3),
    ADD COLUMN "last_operator_message_at" TIMESTAMPTZ(3);

ALTER TABLE "messages"
    ADD COLUMN "author" "MessageAuthor",
    ADD COLUMN "author_user_id" TEXT,
    ADD COLUMN "sending_at" TIMESTAMPTZ(3);
