// Benchmark baseline (a): the barest Fastify route that reads a JSON webhook body and answers 200.
// Started by startStack in the ingress's place (bench/ingress-ceiling.mjs: BARE_SERVER), so it
// listens on INGRESS_PORT and answers /readyz like the ingress.
import Fastify from 'fastify';

const app = Fastify({ logger: false, bodyLimit: 1024 * 1024 });
app.post('/api/bots/webhook/whatsapp/:botId', async () => 'OK');
app.get('/readyz', async () => 'ready');
await app.listen({ host: process.env.HOST ?? '127.0.0.1', port: Number(process.env.INGRESS_PORT ?? 0) });
for (const signal of ['SIGTERM', 'SIGINT']) process.on(signal, () => app.close().then(() => process.exit(0)));
