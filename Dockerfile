# syntax=docker/dockerfile:1
# taskbbs as a container image: `docker build -t taskbbs .`, then see
# docker-compose.yml for PostgreSQL next to it. The image runs the TypeScript
# sources directly: Node 24 strips types, so there is no build step.
ARG NODE_IMAGE=node:24-slim
ARG GO_IMAGE=golang:1.26

# Stage 1: taskbbs-runner, the static in-pod runner of the Kubernetes executor
# (runner/PROTOCOL.md). The task pod's init container copies it out of this
# image, so it must run in any task image: no cgo, no libc.
FROM ${GO_IMAGE} AS runner
ENV CGO_ENABLED=0
WORKDIR /src/runner
COPY runner ./
# runner/build.sh holds the build flags, so the image and the tests build the same binary.
RUN bash build.sh /out/taskbbs-runner && /out/taskbbs-runner install /out/installed-check

# Stage 2: production dependencies only. The `node` devDependency (the Node 24
# that npm brings to laptops and CI) stays out with the other dev tools: the
# base image's own Node 24 runs the server.
FROM ${NODE_IMAGE} AS deps
WORKDIR /app
COPY package.json package-lock.json ./
RUN npm ci --omit=dev --no-audit --no-fund && npm cache clean --force

# Stage 3: the runtime, without npm's cache or anything of stage 2 but node_modules.
FROM ${NODE_IMAGE}
ENV NODE_ENV=production \
    TASKBBS_MODE=production \
    TASKBBS_HOST=0.0.0.0 \
    TASKBBS_PORT=8080
WORKDIR /app
COPY --from=deps /app/node_modules ./node_modules
COPY package.json ./
COPY src ./src
COPY migrations ./migrations
COPY --from=runner /out/taskbbs-runner /usr/local/bin/taskbbs-runner
# The base image's unprivileged user (uid 1000); nothing in /app is writable by it.
USER node
# Memory (BENCHMARKS.md): Node's compile cache holds the sources with their types
# already stripped, so the server never loads the TypeScript stripper (about 18 MB
# resident); it is filled here, for the server and the lazily loaded Kubernetes
# executor. Node keys the cache by user id, so it is filled as this user, in its
# home (a process running under another uid simply compiles as before).
# Young-generation semi-spaces of 2 MB instead of V8's default of up to 32 MB
# trade more frequent young collections for about 27 MB of RSS.
ENV NODE_COMPILE_CACHE=/home/node/.cache/taskbbs-compile \
    NODE_OPTIONS=--max-semi-space-size=2
RUN node src/server.ts --help > /dev/null \
 && node --input-type=module -e "await import('./src/executors/kubernetes/index.ts')"
EXPOSE 8080
# /readyz: 200 once the database answers, 503 while draining on SIGTERM.
HEALTHCHECK --interval=10s --timeout=3s --start-period=20s --retries=3 \
  CMD ["node", "-e", "fetch('http://127.0.0.1:' + (process.env.TASKBBS_PORT || 8080) + '/readyz').then(r => process.exit(r.ok ? 0 : 1), () => process.exit(1))"]
# The server drains on SIGTERM (running tasks get TASKBBS_SHUTDOWN_TIMEOUT, then go back to PENDING) and exits 0.
STOPSIGNAL SIGTERM
CMD ["node", "src/server.ts"]
