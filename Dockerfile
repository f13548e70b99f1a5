# Multi-stage: build the native SQLite addon with the toolchain, ship without it.
FROM node:20-bookworm-slim AS build
RUN apt-get update && apt-get install -y --no-install-recommends python3 make g++ && rm -rf /var/lib/apt/lists/*
WORKDIR /app
COPY package.json package-lock.json ./
RUN npm ci --omit=dev --no-audit --no-fund

FROM node:20-bookworm-slim
ENV NODE_ENV=production
WORKDIR /app
COPY --from=build /app/node_modules ./node_modules
COPY package.json tsconfig.json ./
COPY src ./src
COPY drizzle ./drizzle
# ./data is the volume: the default DATABASE_PATH (./data/bot.db) lands there, and so does an empty
# DATABASE_PATH= from a copied .env.example, which --env-file would pass over any ENV set here.
RUN mkdir -p /data && chown node:node /data && ln -s /data /app/data
USER node
VOLUME ["/data"]
EXPOSE 8080
STOPSIGNAL SIGTERM
CMD ["node", "src/main.cjs"]
