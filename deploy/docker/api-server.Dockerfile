# syntax=docker/dockerfile:1.7
# The tagger api-server image. Build from the repository root:
#   docker build -f deploy/docker/api-server.Dockerfile -t tagger/api-server:0.1.0 .
# (docker-compose does this; see docs/deploy.md). Not built in this project's CI: it has no Docker daemon.

# ---- build: dependencies first, so that a code change does not download them again ----------------
FROM maven:3.9.9-eclipse-temurin-17 AS build
WORKDIR /src
ENV MAVEN_OPTS="-Dmaven.repo.local=/deps"
COPY pom.xml ./
COPY common/pom.xml common/
COPY imaging/pom.xml imaging/
COPY transport/pom.xml transport/
COPY models/pom.xml models/
COPY fixtures/pom.xml fixtures/
COPY testkit/pom.xml testkit/
COPY api-server/pom.xml api-server/
COPY ai-worker/pom.xml ai-worker/
COPY launcher/pom.xml launcher/
# this layer changes only when a pom does
RUN mvn -B -q -pl api-server -am dependency:go-offline -DexcludeGroupIds=dev.tagger
COPY common/src common/src
COPY imaging/src imaging/src
COPY transport/src transport/src
COPY fixtures/src fixtures/src
COPY testkit/src testkit/src
COPY api-server/src api-server/src
RUN mvn -B -q -pl api-server -am -DskipTests package dependency:copy-dependencies \
        -DincludeScope=runtime -DexcludeGroupIds=dev.tagger \
 && mkdir -p /out/app \
 && cp common/target/common-*.jar transport/target/transport-*.jar api-server/target/api-server-*.jar /out/app/

# ---- run ------------------------------------------------------------------------------------------
# Debian's OpenJDK, like the development machines. The api-server never decodes images (it reads
# headers only), so the JPEG speed that decides the worker's JDK does not matter here; one JDK vendor
# for both images means one set of security updates to follow.
FROM debian:bookworm-slim
LABEL org.opencontainers.image.title="tagger-api-server" \
      org.opencontainers.image.description="tagger api-server: validates, downloads, publishes to RabbitMQ, answers from Redis"
RUN apt-get update \
 && apt-get install -y --no-install-recommends openjdk-17-jre-headless curl libturbojpeg0 \
 && rm -rf /var/lib/apt/lists/* \
 && useradd --system --uid 10001 --home-dir /app tagger
# HEIC and AVIF: libheif (Debian 12 builds libde265 and dav1d in) for edge preprocessing of phone photos
RUN apt-get update \
 && apt-get install -y --no-install-recommends libheif1 \
 && rm -rf /var/lib/apt/lists/*
# third-party jars first: this layer is shared by every build with the same dependencies
COPY --from=build /src/api-server/target/dependency/ /app/lib/
COPY --from=build /out/app/ /app/
USER 10001
ENV TAGGER_HTTP_HOST=0.0.0.0 \
    TAGGER_HTTP_PORT=8080
EXPOSE 8080
HEALTHCHECK --interval=10s --timeout=3s --start-period=30s CMD curl -fsS http://127.0.0.1:8080/healthz || exit 1
ENTRYPOINT ["java", "-XX:+UseG1GC", "-XX:MaxRAMPercentage=75", "-cp", "/app/*:/app/lib/*", "tagger.api.ApiServerMain"]
