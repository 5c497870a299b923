export { eventually } from './eventually.js';
export { type ProvidedTestContext, prepareTemplateDatabase, resolveTestServices } from './global-setup.js';
export {
  FIXTURE_APP_SECRET,
  loadMetaFixture,
  loadMetaFixtures,
  type MetaFixture,
  metaFixturesDir,
} from './meta-fixtures.js';
export {
  freePort,
  runServiceToExit,
  type ServiceName,
  type ServiceProcess,
  startServiceProcess,
} from './service-process.js';
export { createTestBot, type TestBot, type TestBotSeed } from './test-bots.js';
export {
  createTestDatabase,
  createTestRedis,
  deleteKeysWithPrefix,
  migrationsDir,
  type ServiceUrls,
  type TestDatabase,
  type TestRedis,
} from './test-services.js';
export { useTestDatabase, useTestRedis } from './vitest-fixtures.js';
