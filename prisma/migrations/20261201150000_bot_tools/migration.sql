-- HTTP tools per bot (docs/contract.md, Bot engine) and the record of every call the engine made.

-- CreateEnum
CREATE TYPE "HttpToolMethod" AS ENUM ('GET', 'POST');

-- CreateEnum
CREATE TYPE "ToolCallStatus" AS ENUM ('ok', 'http_error', 'invalid_arguments', 'blocked', 'timeout', 'network_error', 'too_many_redirects', 'unavailable');

-- CreateTable
CREATE TABLE "bot_tools" (
    "id" UUID NOT NULL,
    "bot_id" TEXT NOT NULL,
    "name" TEXT NOT NULL,
    "description" TEXT NOT NULL,
    "parameters" JSONB NOT NULL,
    "url" TEXT NOT NULL,
    "method" "HttpToolMethod" NOT NULL DEFAULT 'POST',
    "headers" JSONB NOT NULL DEFAULT '{}',
    "timeout_ms" INTEGER NOT NULL DEFAULT 10000,
    "max_response_bytes" INTEGER NOT NULL DEFAULT 32768,
    "created_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "updated_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "bot_tools_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "tool_calls" (
    "id" UUID NOT NULL,
    "bot_id" TEXT NOT NULL,
    "turn_id" UUID NOT NULL,
    "tool_id" UUID,
    "tool_name" TEXT NOT NULL,
    "arguments_bytes" INTEGER NOT NULL,
    "status" "ToolCallStatus" NOT NULL,
    "http_status" INTEGER,
    "duration_ms" INTEGER NOT NULL,
    "error" TEXT,
    "created_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "tool_calls_pkey" PRIMARY KEY ("id")
);

-- CreateIndex
CREATE UNIQUE INDEX "bot_tools_bot_id_name_key" ON "bot_tools"("bot_id", "name");

-- CreateIndex
CREATE INDEX "tool_calls_turn_id_idx" ON "tool_calls"("turn_id");

-- CreateIndex
CREATE INDEX "tool_calls_bot_id_created_at_idx" ON "tool_calls"("bot_id", "created_at");

-- AddForeignKey
ALTER TABLE "bot_tools" ADD CONSTRAINT "bot_tools_bot_id_fkey" FOREIGN KEY ("bot_id") REFERENCES "bots"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "tool_calls" ADD CONSTRAINT "tool_calls_bot_id_fkey" FOREIGN KEY ("bot_id") REFERENCES "bots"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "tool_calls" ADD CONSTRAINT "tool_calls_turn_id_fkey" FOREIGN KEY ("turn_id") REFERENCES "messages"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "tool_calls" ADD CONSTRAINT "tool_calls_tool_id_fkey" FOREIGN KEY ("tool_id") REFERENCES "bot_tools"("id") ON DELETE SET NULL ON UPDATE CASCADE;

-- Hand-written: the name rule of function calling, also checked by the admin API (a row written
-- around it would make the bot's every model call fail).
ALTER TABLE "bot_tools" ADD CONSTRAINT "bot_tools_name_check" CHECK ("name" ~ '^[a-zA-Z0-9_-]{1,64}$');
