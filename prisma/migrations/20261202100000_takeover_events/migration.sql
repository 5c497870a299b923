-- Human takeover, the rest (issue #17): the waiting-handoff alert raised once per handoff (the
-- handed_off_at it was raised for, set in the statement that decides to raise it), coexistence
-- history imported as an archive, and the Business app's edits and deletions of its messages.
ALTER TABLE "conversations"
    ADD COLUMN "waiting_alert_for" TIMESTAMPTZ(3);

ALTER TABLE "messages"
    ADD COLUMN "imported_at" TIMESTAMPTZ(3),
    ADD COLUMN "edited_at" TIMESTAMPTZ(3),
    ADD COLUMN "revoked_at" TIMESTAMPTZ(3);

-- The worker's periodic sweep reads only conversations a person holds.
CREATE INDEX "conversations_human_idx" ON "conversations" ("resume_at", "handed_off_at") WHERE "control" = 'human';
