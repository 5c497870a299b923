# One image for the three services; the command picks which one runs.
#   docker build -t wabot .
#   docker run --rm wabot node services/ingress/dist/main.js
FROM node:24-bookworm-slim AS build
WORKDIR /app
ENV PNPM_HOME=/pnpm PATH=/pnpm:$PATH TURBO_TELEMETRY_DISABLED=1 CHECKPOINT_DISABLE=1
RUN npm install -g pnpm@10.34.9
# Dependencies first, for layer caching.
COPY package.json pnpm-lock.yaml pnpm-workspace.yaml ./
COPY packages/bot-registry/package.json packages/bot-registry/
COPY packages/config/package.json packages/config/
COPY packages/contracts/package.json packages/contracts/
COPY packages/db/package.json packages/db/
COPY packages/logger/package.json packages/logger/
COPY packages/meta-simulator/package.json packages/meta-simulator/
COPY packages/queue/package.json packages/queue/
COPY packages/secrets/package.json packages/secrets/
COPY packages/service-runtime/package.json packages/service-runtime/
COPY packages/testing/package.json packages/testing/
COPY packages/whatsapp/package.json packages/whatsapp/
COPY services/admin/package.json services/admin/
COPY services/ingress/package.json services/ingress/
COPY services/worker/package.json services/worker/
COPY bench/package.json bench/
RUN pnpm install --frozen-lockfile
COPY . .
RUN node tools/prisma-generate.mjs && pnpm exec turbo run build --output-logs=errors-only
# Keep only production dependencies for the runtime stage.
RUN pnpm install --frozen-lockfile --prod --offline --ignore-scripts

FROM node:24-bookworm-slim AS runtime
WORKDIR /app
ENV NODE_ENV=production HOST=0.0.0.0
COPY --from=build --chown=node:node /app /app
# Never run as root.
USER node
EXPOSE 3000 3001 3002
HEALTHCHECK --interval=10s --timeout=3s --retries=3 CMD node -e "fetch('http://127.0.0.1:'+(process.env.SERVICE_PORT||3000)+'/healthz').then(r=>process.exit(r.ok?0:1),()=>process.exit(1))"
CMD ["node", "--enable-source-maps", "services/ingress/dist/main.js"]
