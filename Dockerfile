# syntax=docker/dockerfile:1
# The backtest shard runner (functions/backtest-task/main.ts), one shard per Fargate task. `cdk deploy`
# builds it (infra/constructs/backtest-task.ts); `cdk synth` only stages this folder.
#
# Bundled with esbuild rather than `npm ci --omit=dev`: the production dependencies are 67 MB of
# Alpaca, d3, resvg, Powertools and the SDKs, of which a shard loads the S3 client, zod and the
# trading core; the two bundles are 1.5 MB beside Node itself, so the image pulls and starts sooner.

# The bundle is plain JavaScript, so this stage runs on the builder's own platform: an x86 machine
# makes the arm64 image without emulating npm or esbuild
FROM --platform=$BUILDPLATFORM node:22-slim AS build
WORKDIR /src
COPY package.json package-lock.json ./
# Only esbuild runs here; no install script is needed for it (its binary is an optional dependency)
RUN npm ci --ignore-scripts --no-audit --no-fund
COPY tsconfig.json ./
COPY shared ./shared
COPY functions/backtest-task ./functions/backtest-task
# The worker threads' entry is a second bundle beside main.js, where shared/research/pool.ts looks
RUN npx esbuild functions/backtest-task/main.ts shared/research/worker.ts \
      --bundle --platform=node --format=esm --target=node22 --minify --keep-names --sourcemap \
      --entry-names=[name] --outdir=/dist --log-level=warning \
      "--banner:js=import { createRequire } from 'node:module'; const require = createRequire(import.meta.url);"

FROM node:22-slim
ENV NODE_ENV=production NODE_OPTIONS=--enable-source-maps
WORKDIR /app
COPY --from=build /dist ./
# The data folder is copied to /tmp, which the node user may write
USER node
# --single-threaded: the worker threads keep every vCPU busy, so V8's own GC and compiler threads
# only take turns with them (see shared/research/pool.ts)
ENTRYPOINT ["node", "--single-threaded", "main.js"]
