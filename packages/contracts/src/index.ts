export {
  DEFAULT_WEBHOOK_SHARDS,
  MAX_WEBHOOK_SHARDS,
  physicalQueueName,
  type ShardedQueueName,
  type SingleQueueName,
  webhookQueueNames,
  webhookShardOf,
  webhookShardsKey,
} from './queue-names.js';
export {
  type DrainConversationJob,
  describeIssues,
  drainConversationJobSchema,
  type JobData,
  type JobName,
  type MetaWebhookBatchJob,
  type MetaWebhookJob,
  metaWebhookBatchJobSchema,
  metaWebhookJobSchema,
  parseJobData,
  type QueueDefinitions,
  type QueueName,
  queueDefinitions,
  type SendTemplateJob,
  safeParseJobData,
  sendTemplateJobSchema,
} from './queues.js';
export {
  BOT_CHANGED_CHANNEL,
  type BotChangedMessage,
  botChangedMessageSchema,
  parseBotChangedMessage,
} from './redis-channels.js';
