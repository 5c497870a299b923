-- Outbound media (issue #18): a file an operator uploaded to send. The bytes are kept in
-- MEDIA_STORE under storage_key, durable before the API answers 202; the worker uploads them to
-- Meta (POST /{phone-number-id}/media) at send time and records Meta's media id, so a retried
-- send reuses it instead of uploading again. One row per outbound message, removed with it.
CREATE TABLE "outbound_media" (
    "id" UUID NOT NULL,
    "message_id" UUID NOT NULL,
    "type" TEXT NOT NULL,
    "mime_type" TEXT NOT NULL,
    "filename" TEXT NOT NULL,
    "size_bytes" INTEGER NOT NULL,
    "sha256" TEXT NOT NULL,
    "storage_key" TEXT NOT NULL,
    "meta_media_id" TEXT,
    "uploaded_at" TIMESTAMPTZ(3),
    "created_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "outbound_media_pkey" PRIMARY KEY ("id")
);

CREATE UNIQUE INDEX "outbound_media_message_id_key" ON "outbound_media"("message_id");

ALTER TABLE "outbound_media" ADD CONSTRAINT "outbound_media_message_id_fkey" FOREIGN KEY ("message_id") REFERENCES "messages"("id") ON DELETE CASCADE ON UPDATE CASCADE;
