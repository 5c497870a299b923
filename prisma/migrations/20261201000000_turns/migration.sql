-- Turns (docs/adr/0004-pipeline-v2.md): the inbound messages answered together by one reply.
-- turn_id is the id of the turn's last inbound message, which the reply's parts answer
-- (reply_to_id); set on every inbound message of the turn when the reply plan is stored.
ALTER TABLE "messages" ADD COLUMN "turn_id" UUID;
