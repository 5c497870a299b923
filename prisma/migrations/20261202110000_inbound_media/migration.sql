-- Inbound media (docs/contract.md, Media; docs/adr/0008-inbound-media.md): one row per inbound
-- image, document, audio, video or sticker message, with what was fetched from the Graph API,
-- where it is stored, and what the understanding steps made of it.

-- CreateEnum
CREATE TYPE "MediaFetchStatus" AS ENUM ('pending', 'stored', 'failed');

-- CreateTable
CREATE TABLE "inbound_media" (
    "message_id" UUID NOT NULL,
    "bot_id" TEXT NOT NULL,
    "kind" TEXT NOT NULL,
    "media_id" TEXT,
    "mime_type" TEXT,
    "file_size" INTEGER,
    "sha256" TEXT,
    "filename" TEXT,
    "caption" TEXT,
    "voice" BOOLEAN,
    "status" "MediaFetchStatus" NOT NULL DEFAULT 'pending',
    "error" TEXT,
    "store_key" TEXT,
    "fetched_at" TIMESTAMPTZ(3),
    "transcript" TEXT,
    "description" TEXT,
    "understanding_error" TEXT,
    "deleted_at" TIMESTAMPTZ(3),
    "created_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "updated_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "inbound_media_pkey" PRIMARY KEY ("message_id")
);

-- CreateIndex
CREATE INDEX "inbound_media_bot_id_fetched_at_idx" ON "inbound_media"("bot_id", "fetched_at");

-- AddForeignKey
ALTER TABLE "inbound_media" ADD CONSTRAINT "inbound_media_message_id_fkey" FOREIGN KEY ("message_id") REFERENCES "messages"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "inbound_media" ADD CONSTRAINT "inbound_media_bot_id_fkey" FOREIGN KEY ("bot_id") REFERENCES "bots"("id") ON DELETE CASCADE ON UPDATE CASCADE;
